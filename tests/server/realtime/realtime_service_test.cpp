// RealtimeService's event loop: Stop returns whatever the loop was doing when it was called.
#include "server/realtime/realtime_service.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

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

// A socket handed over (Adopt) while Stop's handler is already queued ahead of it was started
// anyway: its handshake and read kept the loop running until the socket's idle timeout.
TEST_CASE("realtime service: a socket handed over while stopping is closed, not served") {
  testing::TestDb t;
  RealtimeLimits limits;
  limits.idle = std::chrono::seconds(60);
  RealtimeService service(t.db(), kLoopTestSecret, limits);
  service.Start();
  // Hold Realtime's thread so that Stop's handler and then the socket's queue behind it.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  service.TEST_PostToLoop([released] { released.wait(); });
  auto stopped = std::async(std::launch::async, [&service] { service.Stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // Stop has posted by now
  int pair[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  UpgradeRequest request;
  request.target = "/realtime/v1/websocket?vsn=2.0.0";
  request.headers = {{"Host", "localhost"},
                     {"Upgrade", "websocket"},
                     {"Connection", "Upgrade"},
                     {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                     {"Sec-WebSocket-Version", "13"}};
  service.Adopt(pair[0], std::move(request), UpgradeCheck{});
  release.set_value();
  const bool returned = stopped.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  CHECK_MESSAGE(returned, "Stop waited for a socket handed over after it began");
  if (!returned) stopped.wait();  // the socket's idle timeout ends it
  char byte = 0;
  CHECK(read(pair[1], &byte, 1) == 0);  // closed without a handshake answer
  close(pair[1]);
}

// A socket handed over after Stop had returned was posted to a loop that no longer ran: its
// descriptor stayed open (the client waited for an answer until the process exited) and it
// kept its place among the open sockets.
TEST_CASE("realtime service: a socket handed over after Stop is closed and not counted") {
  testing::TestDb t;
  RealtimeService service(t.db(), kLoopTestSecret);
  service.Start();
  service.Stop();
  int pair[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  timeval wait{5, 0};  // a socket left open fails the read below instead of hanging the test
  REQUIRE(setsockopt(pair[1], SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait) == 0);
  UpgradeRequest request;
  request.target = "/realtime/v1/websocket?vsn=2.0.0";
  service.Adopt(pair[0], std::move(request), UpgradeCheck{});
  char byte = 0;
  CHECK(read(pair[1], &byte, 1) == 0);  // closed, no answer
  CHECK(service.open_sockets() == 0);
  close(pair[1]);
}

}  // namespace ib::realtime
