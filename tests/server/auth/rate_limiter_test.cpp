#include "server/auth/rate_limiter.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

namespace ib::auth {
namespace {

TEST_CASE("auth rate limiter: a fixed window admits `limit` events, then refuses") {
  RateLimiter limiter(3, 300);
  CHECK(limiter.TryAcquire("ip", 1000));
  CHECK(limiter.TryAcquire("ip", 1001));
  CHECK_FALSE(limiter.Exhausted("ip", 1001));
  CHECK(limiter.TryAcquire("ip", 1002));
  CHECK(limiter.Exhausted("ip", 1002));
  CHECK_FALSE(limiter.TryAcquire("ip", 1003));  // refused, and not counted
  CHECK_FALSE(limiter.TryAcquire("ip", 1299));  // still the window opened at 1000
  CHECK(limiter.TryAcquire("ip", 1300));        // window closed: a new one opens
  CHECK(limiter.TryAcquire("ip", 1301));
  CHECK(limiter.TryAcquire("ip", 1302));
  CHECK_FALSE(limiter.TryAcquire("ip", 1303));
}

TEST_CASE("auth rate limiter: keys are independent and Record counts unconditionally") {
  RateLimiter limiter(2, 60);
  limiter.Record("a@x.io", 10);
  limiter.Record("a@x.io", 11);
  CHECK(limiter.Exhausted("a@x.io", 12));
  CHECK_FALSE(limiter.Exhausted("b@x.io", 12));
  limiter.Record("a@x.io", 12);  // beyond the limit: still counted, still exhausted
  CHECK(limiter.Exhausted("a@x.io", 69));
  CHECK_FALSE(limiter.Exhausted("a@x.io", 70));
}

TEST_CASE("auth rate limiter: limit 0 disables the brake") {
  RateLimiter limiter(0, 300);
  for (int i = 0; i < 10'000; ++i) REQUIRE(limiter.TryAcquire("ip", 5));
  CHECK_FALSE(limiter.Exhausted("ip", 5));
  CHECK(limiter.TEST_KeyCount() == 0);
}

TEST_CASE("auth rate limiter: closed windows are swept so memory follows active keys") {
  RateLimiter limiter(5, 10);
  for (int i = 0; i < 5000; ++i) limiter.Record("k" + std::to_string(i), 0);
  CHECK(limiter.TEST_KeyCount() > 4000);
  for (int i = 0; i < 5000; ++i) limiter.Record("late" + std::to_string(i % 3), 100);
  CHECK(limiter.TEST_KeyCount() < 1000);
}

TEST_CASE("auth rate limiter: concurrent acquisitions never exceed the limit") {
  RateLimiter limiter(100, 300);
  std::vector<std::thread> threads;
  std::vector<int> admitted(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) admitted[t] += limiter.TryAcquire("ip", 1) ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  int total = 0;
  for (int n : admitted) total += n;
  CHECK(total == 100);
}

}  // namespace
}  // namespace ib::auth

namespace ib::auth {
namespace {

TEST_CASE("auth rate limiter: keys of any length cost one digest, and the table has a ceiling") {
  RateLimiter limiter(2, 300);
  const std::string huge(4 << 20, 'x');  // a 4 MiB key is kept as 16 bytes
  limiter.Record(huge, 0);
  limiter.Record(huge, 1);
  CHECK(limiter.Exhausted(huge, 2));
  CHECK_FALSE(limiter.Exhausted(huge + "y", 2));
  CHECK(limiter.TEST_KeyCount() == 1);

  // Filled with open windows, the table stops growing: new keys go uncounted, tracked keys
  // keep their counts.
  for (size_t i = 0; i < RateLimiter::kMaxKeys + 100; ++i) limiter.Record(std::to_string(i), 3);
  CHECK(limiter.TEST_KeyCount() == RateLimiter::kMaxKeys);
  CHECK(limiter.Exhausted(huge, 4));
  CHECK_FALSE(limiter.Exhausted("never-tracked", 4));
  // Once those windows close, a sweep frees the table for new keys.
  limiter.Record("fresh", 400);
  CHECK(limiter.TEST_KeyCount() == 1);
}

TEST_CASE("auth rate limiter: client addresses are counted per IPv4 address and per IPv6 /64") {
  CHECK(ClientAddressKey("127.0.0.2") == "127.0.0.2");
  CHECK(ClientAddressKey("::ffff:10.1.2.3") == "10.1.2.3");
  CHECK(ClientAddressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64");
  CHECK(ClientAddressKey("2001:db8:1:2::1") == ClientAddressKey("2001:db8:1:2:ffff::9"));
  CHECK(ClientAddressKey("2001:db8:1:3::1") != ClientAddressKey("2001:db8:1:2::1"));
  CHECK(ClientAddressKey("not an address") == "not an address");
}

}  // namespace
}  // namespace ib::auth
