#include "server/http/ip_connection_cap.h"

#include <doctest/doctest.h>

#include <memory>
#include <utility>
#include <vector>

using ib::http::AddressPlace;
using ib::http::IpConnectionCap;

namespace {

// Whether TryHold() gave a place (doctest cannot print the opaque handle itself).
bool Held(const AddressPlace& place) { return place != nullptr; }

}  // namespace

TEST_CASE("ip connection cap: refuses past the cap per address, and a dropped place frees one") {
  auto cap = std::make_shared<IpConnectionCap>(2);
  AddressPlace first = cap->TryHold("10.0.0.1");
  AddressPlace second = cap->TryHold("10.0.0.1");
  CHECK(Held(first));
  CHECK(Held(second));
  CHECK_FALSE(Held(cap->TryHold("10.0.0.1")));
  AddressPlace other = cap->TryHold("10.0.0.2");  // another address has its own count
  CHECK(Held(other));
  CHECK(cap->OpenConnections("10.0.0.1") == 2);  // the refusal counted nothing
  first.reset();
  CHECK(cap->OpenConnections("10.0.0.1") == 1);
  CHECK(Held(cap->TryHold("10.0.0.1")));  // dropped at once: back to one
  CHECK(cap->OpenConnections("10.0.0.1") == 1);
  auto off = std::make_shared<IpConnectionCap>(0);
  std::vector<AddressPlace> many;
  for (int i = 0; i < 1000; ++i) {
    many.push_back(off->TryHold("10.0.0.1"));
    REQUIRE(Held(many.back()));
  }
  CHECK(off->OpenConnections("10.0.0.1") == 1000);
  many.clear();
  CHECK(off->OpenConnections("10.0.0.1") == 0);
}

TEST_CASE("ip connection cap: a held place is given back when its last copy goes") {
  auto cap = std::make_shared<IpConnectionCap>(1);
  AddressPlace place = cap->TryHold("10.0.0.1");
  REQUIRE(Held(place));
  AddressPlace handed_over = place;  // e.g. the socket went to Realtime
  place.reset();
  CHECK(cap->OpenConnections("10.0.0.1") == 1);
  CHECK_FALSE(Held(cap->TryHold("10.0.0.1")));
  handed_over.reset();
  CHECK(cap->OpenConnections("10.0.0.1") == 0);
  CHECK(Held(cap->TryHold("10.0.0.1")));
}

TEST_CASE("ip connection cap: a held place keeps the cap alive after its owner lets go") {
  std::weak_ptr<IpConnectionCap> watch;
  AddressPlace place;
  {
    auto cap = std::make_shared<IpConnectionCap>(1);
    watch = cap;
    place = cap->TryHold("10.0.0.1");
    REQUIRE(Held(place));
  }  // the server that owned the cap has stopped; a WebSocket still holds its place
  CHECK_FALSE(watch.expired());
  place.reset();
  CHECK(watch.expired());
}
