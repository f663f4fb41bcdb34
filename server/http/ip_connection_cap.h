// IpConnectionCap: counts the open connections of each client address and refuses one past the
// cap, so one address (a Slowloris client, a runaway pool) cannot take every socket and worker.
// A socket that leaves HTTP (a WebSocket handed to Realtime) keeps its place until it closes.
// Thread-safe; TryAcquire() and Release() are called once each per accepted connection.
// A cap of 0 turns it off. The value is --max-connections-per-ip (docs/limits.md).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ib::http {

// One connection's place in the count, given back when the last copy is dropped (so whoever
// owns the socket last, HTTP or Realtime, gives it back). Opaque to its holders.
using AddressPlace = std::shared_ptr<const void>;

class IpConnectionCap : public std::enable_shared_from_this<IpConnectionCap> {
 public:
  explicit IpConnectionCap(int max_per_ip) : max_(max_per_ip) {}

  // Counts one more connection of `ip`; false (nothing counted) when it already has the most.
  bool TryAcquire(const std::string& ip);
  // Forgets one connection of `ip` counted by TryAcquire().
  void Release(const std::string& ip);
  // Turns a place counted by TryAcquire() into a handle that releases it when dropped; it keeps
  // this cap alive. The cap must be owned by a shared_ptr.
  AddressPlace Hold(const std::string& ip);
  int OpenConnections(const std::string& ip) const;

 private:
  const int max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int> open_;  // only addresses with open connections
};

}  // namespace ib::http
