#include "server/http/ip_connection_cap.h"

#include <doctest/doctest.h>

#include <memory>
#include <utility>

using ib::http::AddressPlace;
using ib::http::IpConnectionCap;

TEST_CASE("ip connection cap: refuses past the cap per address, and a release frees a place") {
  IpConnectionCap cap(2);
  CHECK(cap.TryAcquire("10.0.0.1"));
  CHECK(cap.TryAcquire("10.0.0.1"));
  CHECK_FALSE(cap.TryAcquire("10.0.0.1"));
  CHECK(cap.TryAcquire("10.0.0.2"));  // another address has its own count
  CHECK(cap.OpenConnections("10.0.0.1") == 2);
  cap.Release("10.0.0.1");
  CHECK(cap.TryAcquire("10.0.0.1"));
  IpConnectionCap off(0);
  for (int i = 0; i < 1000; ++i) REQUIRE(off.TryAcquire("10.0.0.1"));
}

TEST_CASE("ip connection cap: a held place is given back when its last copy goes") {
  auto cap = std::make_shared<IpConnectionCap>(1);
  REQUIRE(cap->TryAcquire("10.0.0.1"));
  AddressPlace place = cap->Hold("10.0.0.1");
  AddressPlace handed_over = place;  // e.g. the socket went to Realtime
  place.reset();
  CHECK(cap->OpenConnections("10.0.0.1") == 1);
  CHECK_FALSE(cap->TryAcquire("10.0.0.1"));
  handed_over.reset();
  CHECK(cap->OpenConnections("10.0.0.1") == 0);
  CHECK(cap->TryAcquire("10.0.0.1"));
}

TEST_CASE("ip connection cap: a held place keeps the cap alive after its owner lets go") {
  std::weak_ptr<IpConnectionCap> watch;
  AddressPlace place;
  {
    auto cap = std::make_shared<IpConnectionCap>(1);
    watch = cap;
    REQUIRE(cap->TryAcquire("10.0.0.1"));
    place = cap->Hold("10.0.0.1");
  }  // the server that owned the cap has stopped; a WebSocket still holds its place
  CHECK_FALSE(watch.expired());
  place.reset();
  CHECK(watch.expired());
}
