// IpConnectionCap: counts the open connections of each client address and refuses one past the
// cap, so one address (a Slowloris client, a runaway pool) cannot take every socket and worker.
// A socket that leaves HTTP (a WebSocket handed to Realtime) keeps its place until it closes.
// A place is a handle (TryHold), so no path can forget to give it back or give it back twice.
// Thread-safe.
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

  // Counts one more connection of `ip` and returns its place, which gives it back when its last
  // copy is dropped and keeps this cap alive until then; null (nothing counted) when `ip`
  // already has the most. The cap must be owned by a shared_ptr.
  AddressPlace TryHold(const std::string& ip);
  int OpenConnections(const std::string& ip) const;

 private:
  void Release(const std::string& ip);

  const int max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int> open_;  // only addresses with open connections
};

}  // namespace ib::http
