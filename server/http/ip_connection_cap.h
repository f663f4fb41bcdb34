// IpConnectionCap: counts the open connections of each client address and refuses one past the
// cap, so one address (a Slowloris client, a runaway pool) cannot take every socket and worker.
// Thread-safe; TryAcquire() and Release() are called once each per accepted connection.
// A cap of 0 turns it off. The value is --max-connections-per-ip (docs/limits.md).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

namespace ib::http {

class IpConnectionCap {
 public:
  explicit IpConnectionCap(int max_per_ip) : max_(max_per_ip) {}

  // Counts one more connection of `ip`; false (nothing counted) when it already has the most.
  bool TryAcquire(const std::string& ip);
  // Forgets one connection of `ip` counted by TryAcquire().
  void Release(const std::string& ip);
  int OpenConnections(const std::string& ip) const;

 private:
  const int max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int> open_;  // only addresses with open connections
};

}  // namespace ib::http
