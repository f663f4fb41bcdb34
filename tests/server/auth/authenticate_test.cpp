#include "server/auth/authenticate.h"

#include <doctest/doctest.h>

#include <vector>

#include "server/auth/token_cache.h"
#include "storage/error.h"

namespace {

constexpr const char* kSecret = "authenticate-test-secret-0123456789abcdef";

std::string Token(const nlohmann::json& claims, const char* secret = kSecret) {
  return ib::auth::SignHs256(claims, secret);
}

}  // namespace

TEST_CASE("authenticate: roles from the bearer, the apikey alone, or nothing") {
  auto user = Token({{"role", "authenticated"}, {"sub", "u1"}, {"exp", 2000}});
  auto anon = Token({{"role", "anon"}});
  auto out = ib::auth::Resolve("Bearer " + user, anon, kSecret, 1000);
  REQUIRE(out.principal);
  CHECK(out.principal->role == ib::storage::Role::kAuthenticated);
  CHECK(out.principal->user_id == "u1");
  auto key_only = ib::auth::Resolve(std::nullopt, anon, kSecret, 1000);
  REQUIRE(key_only.principal);
  CHECK(key_only.principal->role == ib::storage::Role::kAnon);
  auto lower = ib::auth::Resolve("bearer " + user, std::nullopt, kSecret, 1000);
  CHECK(lower.principal);
  auto no_role = ib::auth::Resolve("Bearer " + Token({{"sub", "x"}}), std::nullopt, kSecret, 1000);
  CHECK(no_role.principal->role == ib::storage::Role::kAnon);
  CHECK(ib::auth::Resolve(std::nullopt, std::nullopt, kSecret, 1000).missing_key);
}

TEST_CASE("authenticate: a cached token still expires and a tampered one still fails") {
  auto token = Token({{"role", "authenticated"}, {"sub", "u1"}, {"exp", 2000}});
  CHECK(ib::auth::Resolve("Bearer " + token, std::nullopt, kSecret, 1999).principal);
  CHECK(ib::auth::Resolve("Bearer " + token, std::nullopt, kSecret, 1999).principal);  // cached
  auto expired = ib::auth::Resolve("Bearer " + token, std::nullopt, kSecret, 2000);
  CHECK_FALSE(expired.principal);
  CHECK(expired.jwt_failure == ib::auth::JwtFailure::kExpired);
  std::string tampered = token;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  CHECK_FALSE(ib::auth::Resolve("Bearer " + tampered, std::nullopt, kSecret, 1000).principal);
  // The same token under another secret is not trusted from the cache.
  CHECK_FALSE(ib::auth::Resolve("Bearer " + token, std::nullopt,
                                "another-secret-0123456789abcdefghijkl", 1000)
                  .principal);
}

TEST_CASE("authenticate: REST refusals carry PostgREST codes") {
  auto code = [](const std::string& bearer) {
    try {
      ib::auth::AuthenticateRest("Bearer " + bearer, Token({{"role", "anon"}}), kSecret, 1000);
    } catch (const ib::storage::Error& e) {
      return e.code() + "/" + std::to_string(e.status());
    }
    return std::string("ok");
  };
  CHECK(code(Token({{"role", "authenticated"}, {"exp", 1000}})) == "PGRST303/401");
  CHECK(code("a.b") == "PGRST301/401");
  CHECK(code(Token({{"role", "anon"}}, "wrong-secret-0123456789abcdefghijklmnop")) ==
        "PGRST301/401");
  CHECK(code(Token({{"role", "postgres"}})) == "22023/401");
  CHECK(code(Token({{"role", "service_role"}})) == "ok");
}

TEST_CASE("authenticate: REST needs one of our keys in apikey beside a bearer") {
  auto user = Token({{"role", "authenticated"}, {"sub", "u1"}, {"exp", 2000}});
  auto anon = Token({{"role", "anon"}});
  auto code = [&](std::optional<std::string> apikey) {
    try {
      ib::auth::AuthenticateRest("Bearer " + user, apikey, kSecret, 1000);
    } catch (const ib::storage::Error& e) {
      return e.code() + "/" + std::to_string(e.status());
    }
    return std::string("ok");
  };
  CHECK(code(anon) == "ok");
  CHECK(code(std::nullopt) == "no_api_key/401");
  CHECK(code(std::string("garbage")) == "invalid_api_key/401");
  CHECK(code(user) == "invalid_api_key/401");  // a user's token is not a project key
  CHECK(code(Token({{"role", "anon"}}, "wrong-secret-0123456789abcdefghijklmnop")) ==
        "invalid_api_key/401");
}

TEST_CASE("authenticate: one bearer reading for every service") {
  using ib::auth::BearerToken;
  struct Case {
    std::optional<std::string> header;
    std::optional<std::string> token;
  };
  for (const Case& c : std::vector<Case>{{std::nullopt, std::nullopt},
                                         {"", std::nullopt},
                                         {"Bearer ", std::nullopt},
                                         {"Bearer    ", std::nullopt},
                                         {"Basic abc", std::nullopt},
                                         {"Bearer\tabc", std::nullopt},
                                         {"Bearerabc", std::nullopt},
                                         {"abc", std::nullopt},
                                         {"Bearer abc", "abc"},
                                         {" bEaReR   abc \t", "abc"}}) {
    CAPTURE(c.header.value_or("(none)"));
    auto got = BearerToken(c.header ? std::optional<std::string_view>(*c.header) : std::nullopt);
    CHECK(got.has_value() == c.token.has_value());
    if (got && c.token) CHECK(std::string(*got) == *c.token);
  }
}

TEST_CASE("authenticate: the gateway admits only the project's anon and service_role keys") {
  using ib::auth::ApiKeyCheck;
  auto check = [](std::optional<std::string> key) {
    return ib::auth::CheckApiKey(key ? std::optional<std::string_view>(*key) : std::nullopt,
                                 kSecret, 1000);
  };
  CHECK(check(Token({{"role", "anon"}})) == ApiKeyCheck::kValid);
  CHECK(check(" " + Token({{"role", "service_role"}}) + " ") == ApiKeyCheck::kValid);
  CHECK(check(std::nullopt) == ApiKeyCheck::kMissing);
  CHECK(check(std::string(" \t")) == ApiKeyCheck::kMissing);
  CHECK(check(std::string("garbage")) == ApiKeyCheck::kInvalid);
  CHECK(check(Token({{"role", "anon"}, {"exp", 1000}})) == ApiKeyCheck::kInvalid);
  CHECK(check(Token({{"role", "anon"}}, "wrong-secret-0123456789abcdefghijklmnop")) ==
        ApiKeyCheck::kInvalid);
  CHECK(check(Token({{"role", "authenticated"}, {"sub", "u1"}})) == ApiKeyCheck::kInvalid);
  CHECK(check(Token({{"role", "postgres"}})) == ApiKeyCheck::kInvalid);
  CHECK(check(Token({{"sub", "u1"}})) == ApiKeyCheck::kInvalid);  // no role: not a project key
}

TEST_CASE("authenticate: the gateway answers a key the same when the token cache knows it") {
  using ib::auth::ApiKeyCheck;
  auto check = [](const std::string& key, int64_t now) {
    return ib::auth::CheckApiKey(std::string_view(key), kSecret, now);
  };
  // Each key resolved once first (Resolve caches every valid token), then judged from the cache.
  const std::string anon = Token({{"role", "anon"}, {"exp", 2000}});
  const std::string user = Token({{"role", "authenticated"}, {"sub", "u1"}});
  const std::string no_role = Token({{"sub", "u2"}});
  for (const auto* key : {&anon, &user, &no_role}) {
    REQUIRE(ib::auth::Resolve(std::nullopt, std::string_view(*key), kSecret, 1000).principal);
  }
  CHECK(check(anon, 1000) == ApiKeyCheck::kValid);
  CHECK(check(" " + anon + "\t", 1000) == ApiKeyCheck::kValid);
  CHECK(check(user, 1000) == ApiKeyCheck::kInvalid);     // a user's token is not a project key
  CHECK(check(no_role, 1000) == ApiKeyCheck::kInvalid);  // nor is a token without a role
  CHECK(check(anon, 2000) == ApiKeyCheck::kInvalid);     // expired since it was cached
  CHECK(check(anon, 1999) == ApiKeyCheck::kValid);       // verified again, cached again
}

TEST_CASE("authenticate: the token cache stays within its byte budget, whatever the tokens") {
  // Large valid tokens (9 KiB of claims each, near the 16 KiB token limit) from one thread: the
  // cache never holds more than its budget, and a cached token still resolves to its own principal.
  const std::string padding(9 * 1024, 'p');
  for (int i = 0; i < 400; ++i) {
    auto token =
        Token({{"role", "authenticated"}, {"sub", "u" + std::to_string(i)}, {"pad", padding}});
    auto out = ib::auth::Resolve("Bearer " + token, std::nullopt, kSecret, 1000);
    REQUIRE(out.principal);
    REQUIRE(out.principal->user_id == "u" + std::to_string(i));
    REQUIRE(ib::auth::TEST_TokenCacheBytes() <= ib::auth::kTokenCacheBytes);
  }
  CHECK(ib::auth::TEST_TokenCacheEntries() > 0);
  // The same token under another secret is another entry: it must fail, not hit the cache.
  auto token = Token({{"role", "authenticated"}, {"sub", "same"}});
  CHECK(ib::auth::Resolve("Bearer " + token, std::nullopt, kSecret, 1000).principal);
  CHECK_FALSE(ib::auth::Resolve("Bearer " + token, std::nullopt,
                                "another-secret-0123456789abcdef0123456789", 1000)
                  .principal);
}
