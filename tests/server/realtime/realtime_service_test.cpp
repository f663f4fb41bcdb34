// RealtimeService's event loop: Stop returns whatever the loop was doing when it was called.
#include "server/realtime/realtime_service.h"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "tests/support/test_db.h"

namespace ib::realtime {
namespace {

constexpr const char* kLoopTestSecret = "realtime-test-secret-realtime-test-secret";

}  // namespace

// The token sweep set its timer again from a handler already queued when Stop cancelled the
// timer, so the loop never ran out of work and Stop (the server's SIGTERM) waited forever: a
// TSan e2e test hung in CI that way once in a few hundred stops. With a 1 ms sweep every stop
// lands near a sweep.
TEST_CASE("realtime service: Stop returns even when a token sweep is due at that moment") {
  testing::TestDb t;
  RealtimeLimits limits;
  limits.token_sweep = std::chrono::milliseconds(1);
  for (int i = 0; i < 300; ++i) {
    CAPTURE(i);
    auto service = std::make_unique<RealtimeService>(t.db(), kLoopTestSecret, limits);
    service->Start();
    std::this_thread::sleep_for(std::chrono::microseconds(100 * (i % 20)));
    // Stopped on another thread, so that a Stop that never returns fails this test instead
    // of hanging it (the service is then leaked with its thread).
    auto stopped = std::async(std::launch::async, [&service] { service->Stop(); });
    const bool returned = stopped.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
    CHECK_MESSAGE(returned, "Stop did not return within 20 s");
    if (!returned) {
      // Neither the future (its destructor would wait) nor the service may be destroyed.
      new auto(std::move(stopped));
      (void)service.release();
      return;
    }
  }
}

}  // namespace ib::realtime
