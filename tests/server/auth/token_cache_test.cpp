#include "server/auth/token_cache.h"

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "server/auth/authenticate.h"
#include "server/auth/jwt.h"

namespace {

constexpr const char* kCacheTestSecret = "token-cache-test-secret-0123456789abcdef";

std::string CacheTestToken(const std::string& sub, int64_t exp = 4000000000) {
  return ib::auth::SignHs256({{"role", "authenticated"}, {"sub", sub}, {"exp", exp}},
                             kCacheTestSecret);
}

}  // namespace

TEST_CASE("token cache: a token verified on one thread is known on every other") {
  const std::string token = CacheTestToken("seen-once");
  std::thread([&] {
    REQUIRE(ib::auth::Resolve("Bearer " + token, std::nullopt, kCacheTestSecret, 1000).principal);
  }).join();
  std::thread([&] {
    auto hit = ib::auth::FindVerifiedToken(token, kCacheTestSecret, 1000);
    REQUIRE(hit);
    CHECK(hit->principal.user_id == "seen-once");
    CHECK(hit->exp == 4000000000);
  }).join();
  // Keyed by the secret too: the same bytes under another secret are unknown.
  CHECK_FALSE(ib::auth::FindVerifiedToken(token, "another-secret-0123456789abcdef012345", 1000));
}

TEST_CASE("token cache: an expired entry is dropped, and a token never verified is unknown") {
  const std::string token = CacheTestToken("short-lived", 2000);
  REQUIRE(ib::auth::Resolve("Bearer " + token, std::nullopt, kCacheTestSecret, 1000).principal);
  CHECK(ib::auth::FindVerifiedToken(token, kCacheTestSecret, 1999));
  CHECK_FALSE(ib::auth::FindVerifiedToken(token, kCacheTestSecret, 2000));
  CHECK_FALSE(
      ib::auth::FindVerifiedToken(token, kCacheTestSecret, 1000));  // dropped, not kept aside
  CHECK_FALSE(
      ib::auth::FindVerifiedToken(CacheTestToken("never-verified"), kCacheTestSecret, 1000));
}

TEST_CASE("token cache: full, it makes room for the newest token within its budget") {
  // 12 KiB tokens: ~49 KB each by the cache's estimate, so 800 of them are 2.4x its budget.
  const std::string padding(9 * 1024, 'p');
  std::string last;
  for (int i = 0; i < 800; ++i) {
    ib::storage::Principal p;
    p.role = ib::storage::Role::kAuthenticated;
    p.user_id = "big" + std::to_string(i);
    last = ib::auth::SignHs256({{"sub", p.user_id}, {"pad", padding}}, kCacheTestSecret);
    ib::auth::RememberVerifiedToken(last, kCacheTestSecret, p);
    REQUIRE(ib::auth::TEST_TokenCacheBytes() <= ib::auth::kTokenCacheBytes);
    auto hit = ib::auth::FindVerifiedToken(last, kCacheTestSecret, 1000);
    REQUIRE(hit);
    REQUIRE(hit->principal.user_id == p.user_id);
  }
  CHECK(ib::auth::TEST_TokenCacheEntries() > 100);
}

TEST_CASE("token cache: threads verifying and finding the same tokens each get their own user") {
  // From an empty cache: a shard another test filled would drop some of these tokens (in the
  // random order of its digests) to make room, and the last check expects all of them kept.
  ib::auth::TEST_ClearTokenCache();
  std::vector<std::string> tokens;
  for (int i = 0; i < 64; ++i) tokens.push_back(CacheTestToken("user" + std::to_string(i)));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 2000; ++n) {
        const size_t i = (static_cast<size_t>(n) * 7 + static_cast<size_t>(t)) % tokens.size();
        auto out = ib::auth::Resolve("Bearer " + tokens[i], std::nullopt, kCacheTestSecret, 1000);
        if (!out.principal || out.principal->user_id != "user" + std::to_string(i)) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong.load() == 0);
  for (size_t i = 0; i < tokens.size(); ++i) {
    CHECK(ib::auth::FindVerifiedToken(tokens[i], kCacheTestSecret, 1000));
  }
}
