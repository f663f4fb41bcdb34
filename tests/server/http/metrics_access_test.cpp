#include "server/http/metrics_access.h"

#include <doctest/doctest.h>

using ib::http::IsLoopbackAddress;
using ib::http::KeylessScrapeAllowed;

TEST_CASE("metrics access: loopback addresses") {
  for (const char* ip : {"127.0.0.1", "127.1.2.3", "127.255.255.254", "::1", "::ffff:127.0.0.1"}) {
    CAPTURE(ip);
    CHECK(IsLoopbackAddress(ip));
  }
  for (const char* ip : {"192.0.2.2", "10.0.0.1", "0.0.0.0", "::", "fd00::2", "::ffff:10.0.0.1",
                         "128.0.0.1", "127.0.0", "127.0.0.1.5", "127.a.0.1", "1127.0.0.1", ""}) {
    CAPTURE(ip);
    CHECK_FALSE(IsLoopbackAddress(ip));
  }
}

TEST_CASE("metrics access: keyless only from loopback, with no credential and no proxy header") {
  CHECK(KeylessScrapeAllowed("127.0.0.1", false, false));
  CHECK(KeylessScrapeAllowed("::1", false, false));
  CHECK_FALSE(KeylessScrapeAllowed("192.0.2.2", false, false));  // another host (or interface)
  CHECK_FALSE(KeylessScrapeAllowed("127.0.0.1", true, false));   // a key sent is checked
  CHECK_FALSE(KeylessScrapeAllowed("127.0.0.1", false, true));   // through a local proxy
}
