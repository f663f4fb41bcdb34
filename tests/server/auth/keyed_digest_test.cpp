#include "server/auth/keyed_digest.h"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>

TEST_CASE("keyed digest: the same parts give the same digest, on any thread") {
  const auto once = ib::auth::KeyedDigest({"secret", "token"});
  CHECK(ib::auth::KeyedDigest({"secret", "token"}) == once);
  ib::auth::Digest elsewhere{};
  std::thread([&] { elsewhere = ib::auth::KeyedDigest({"secret", "token"}); }).join();
  CHECK(elsewhere == once);
}

TEST_CASE("keyed digest: parts are delimited, and distinct inputs get distinct digests") {
  // Each part is length-prefixed: moving a boundary changes the input.
  CHECK(ib::auth::KeyedDigest({"ab", "c"}) != ib::auth::KeyedDigest({"a", "bc"}));
  CHECK(ib::auth::KeyedDigest({"abc"}) != ib::auth::KeyedDigest({"ab", "c"}));
  CHECK(ib::auth::KeyedDigest({""}) != ib::auth::KeyedDigest({}));
  std::set<ib::auth::Digest> seen;
  for (int i = 0; i < 20000; ++i) seen.insert(ib::auth::KeyedDigest({"s", std::to_string(i)}));
  CHECK(seen.size() == 20000);
  // The longest input a caller passes (a 16 KiB token), then a short one on the same thread.
  const std::string large(16 * 1024, 't');
  CHECK(ib::auth::KeyedDigest({"s", large}) != ib::auth::KeyedDigest({"s", large + "u"}));
  CHECK(ib::auth::KeyedDigest({"s", "t"}) == ib::auth::KeyedDigest({"s", "t"}));
}
