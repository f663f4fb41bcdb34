// HotWaitHabit: whether a connection's worker, having answered, waits a moment on the socket for
// the next request (FramedServer::AwaitNextRequest, a "hot wait") or parks the connection at
// once. A client that sends its next request as soon as it has the answer (an SDK's sequence of
// calls, a load test) is served without the reactor's round trip when its worker waits; a
// client that paces its requests (a live transcript's line every few seconds, the Realtime
// bench's inserts) never sends within the wait, so waiting costs it a timer wake-up and a poll
// per request for nothing, on a machine where every wake of an idle CPU is dear.
//
// The habit learns which kind a connection is. Every wait that ends without a request makes
// it skip twice as many of the next chances (1, 3, 7, ... up to kMaxSkips); a wait that meets
// a request forgets the misses. A skipped chance still tells whether the client was prompt:
// when the parked connection's next request arrives within the wait's window, it was, and the
// next chance waits again. One per connection, used only by the worker serving it.
#pragma once

#include <chrono>
#include <cstdint>

namespace ib::http {

class HotWaitHabit {
 public:
  using Clock = std::chrono::steady_clock;
  // Misses in a row past which the number of skipped chances stops doubling.
  static constexpr int kMaxMissShift = 5;
  static constexpr uint32_t kMaxSkips = (uint32_t{1} << kMaxMissShift) - 1;

  explicit HotWaitHabit(std::chrono::milliseconds window) : window_(window) {}

  // Asked after each answer: true to wait this time (then report it with Waited()); false
  // skips this chance (the caller parks the connection and reports it with Parked()).
  bool WaitNow() {
    if (skips_left_ == 0) return true;
    --skips_left_;
    return false;
  }
  // The outcome of a wait: whether the next request came within it.
  void Waited(bool request_came) {
    if (request_came) {
      Forget();
      return;
    }
    if (misses_ < kMaxMissShift) ++misses_;
    skips_left_ = (uint32_t{1} << misses_) - 1;
  }
  // A skipped chance: the connection was parked at `now`.
  void Parked(Clock::time_point now) { parked_at_ = now; }
  // The parked connection's next request is being served at `now`: one that came within the
  // window shows a prompt client.
  void Resumed(Clock::time_point now) {
    if (parked_at_ == Clock::time_point{}) return;
    if (now - parked_at_ <= window_) Forget();
    parked_at_ = Clock::time_point{};
  }
  // Whether Resumed() needs the time (only after a skipped chance: the clock is read for no
  // one else).
  bool AwaitsResume() const { return parked_at_ != Clock::time_point{}; }

 private:
  void Forget() {
    misses_ = 0;
    skips_left_ = 0;
  }

  const Clock::duration window_;
  int misses_ = 0;
  uint32_t skips_left_ = 0;
  Clock::time_point parked_at_{};
};

}  // namespace ib::http
