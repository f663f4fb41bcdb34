// RealtimeService: Supabase Realtime for the process. It owns Realtime's thread (an Asio event
// loop that serves every upgraded WebSocket, so an open socket holds no worker), the Hub, and
// the change-log subscription that feeds committed transactions to it in commit order without
// making a writer wait. The HTTP layer checks an upgrade with CheckUpgrade, answers a refusal
// itself, and hands an accepted socket over with Adopt. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/realtime/hub.h"
#include "server/realtime/phoenix_message.h"
#include "server/realtime/realtime_limits.h"
#include "storage/principal.h"

namespace ib::storage {
class Db;
}

namespace ib::realtime {

// What the upgrade request said, as read by the HTTP layer.
struct UpgradeRequest {
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  // The socket's place in HTTP's per-address connection count: held until the socket closes,
  // so WebSockets count against --max-connections-per-ip like any connection.
  std::shared_ptr<const void> address_place;
};

struct UpgradeCheck {
  int status = 0;    // 0: accepted; else the HTTP status to answer, with `body`
  std::string body;  // JSON
  Vsn vsn = Vsn::kV2;
  storage::Principal principal;  // the apikey's
};

class RealtimeService {
 public:
  RealtimeService(storage::Db& db, std::string secret, RealtimeLimits limits = {});
  ~RealtimeService();
  RealtimeService(const RealtimeService&) = delete;
  RealtimeService& operator=(const RealtimeService&) = delete;

  void Start();
  // Closes every socket and joins the thread.
  void Stop();

  // The upgrade's `apikey` and `vsn` query parameters (percent-decoded), checked before any
  // 101: a missing, invalid or expired key is 401, an unknown vsn 403, too many sockets 429.
  UpgradeCheck CheckUpgrade(const std::optional<std::string>& apikey,
                            const std::optional<std::string>& vsn) const;
  // Takes over `fd` (now owned here) whose upgrade request passed CheckUpgrade: the WebSocket
  // handshake and everything after run on Realtime's thread.
  void Adopt(int fd, UpgradeRequest request, UpgradeCheck accepted);
  // Sends a broadcast to every channel joined to `topic` ("realtime:<sub-topic>"), from any
  // thread (the REST broadcast endpoints).
  void PostBroadcast(std::string topic, BroadcastMessage message);
  // Verifies a REST broadcast's bearer: the principal, or nullopt (401).
  std::optional<storage::Principal> CheckBearer(std::string_view token) const;

  size_t open_sockets() const { return open_sockets_.load(); }
  // Runs `work` on Realtime's thread (tests: to hold that thread while work queues behind).
  void TEST_PostToLoop(std::function<void()> work);
  const RealtimeLimits& limits() const { return limits_; }

 private:
  class Loop;
  storage::Db& db_;
  const std::string secret_;
  const RealtimeLimits limits_;
  std::atomic<size_t> open_sockets_{0};
  std::atomic<size_t> change_backlog_{0};  // transactions posted to Realtime's thread, not run
  std::atomic<bool> changes_lost_{false};  // one was dropped since the last one ran
  std::unique_ptr<Hub> hub_;
  std::unique_ptr<Loop> loop_;  // destroyed before hub_: its sockets leave their channels
  uint64_t subscription_ = 0;
  bool started_ = false;
};

}  // namespace ib::realtime
