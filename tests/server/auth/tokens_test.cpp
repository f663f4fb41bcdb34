#include "server/auth/tokens.h"

#include <doctest/doctest.h>

#include "server/auth/jwt.h"

namespace ib::auth {
namespace {

constexpr char kTokenSecret[] = "tokens-test-secret-0123456789abcdef0123456789";
constexpr int64_t kTokenSecond = 1'000'000;

UserRecord SampleUser() {
  UserRecord u;
  u.id = "0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10";
  u.email = "a@x.io";
  u.user_metadata = {{"full_name", "Ada"}};
  u.app_metadata = {{"provider", "email"}, {"providers", {"email"}}};
  return u;
}

TEST_CASE("auth tokens: access-token claims carry every field GoTrue puts in them") {
  nlohmann::json c = AccessTokenClaims(SampleUser(), "11111111-2222-4333-8444-555555555555",
                                       1'700'000'000, 1'700'000'100, 3600, "http://h:1/auth/v1");
  CHECK(c["sub"] == "0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10");
  CHECK(c["role"] == "authenticated");
  CHECK(c["aud"] == "authenticated");  // a string, not an array
  CHECK(c["iat"] == 1'700'000'100);
  CHECK(c["exp"] == 1'700'003'700);
  CHECK(c["iss"] == "http://h:1/auth/v1");
  CHECK(c["session_id"] == "11111111-2222-4333-8444-555555555555");
  CHECK(c["email"] == "a@x.io");
  CHECK(c["phone"] == "");
  CHECK(c["user_metadata"]["full_name"] == "Ada");
  CHECK(c["app_metadata"]["provider"] == "email");
  CHECK(c["aal"] == "aal1");
  CHECK(c["amr"] == nlohmann::json::parse(R"([{"method":"password","timestamp":1700000000}])"));
  CHECK(c["is_anonymous"] == false);
}

TEST_CASE("auth tokens: the issued token verifies and the session JSON is complete") {
  nlohmann::json claims = AccessTokenClaims(SampleUser(), "s", 10, 1'700'000'000, 3600, "i");
  AccessToken access = IssueAccessToken(claims, kTokenSecret);
  JwtResult verified = VerifyHs256(access.token, kTokenSecret, 1'700'000'001);
  REQUIRE(verified.ok());
  CHECK(verified.claims == claims);
  nlohmann::json session = SessionJson(access, "r1", {{"id", "u"}});
  CHECK(session["access_token"] == access.token);
  CHECK(session["token_type"] == "bearer");
  CHECK(session["expires_in"] == 3600);
  CHECK(session["expires_at"] == 1'700'003'600);
  CHECK(session["refresh_token"] == "r1");
  CHECK(session["user"]["id"] == "u");
  // One second past exp the token is refused: no leeway.
  CHECK_FALSE(VerifyHs256(access.token, kTokenSecret, 1'700'003'600).ok());
}

TEST_CASE("auth tokens: refresh tokens are random and stored only as SHA-256") {
  std::string a = NewRefreshToken(), b = NewRefreshToken();
  CHECK(a != b);
  CHECK(a.size() == 32);
  CHECK(HashRefreshToken(a).size() == 64);
  CHECK(HashRefreshToken(a) != a);
  CHECK(HashRefreshToken(a) == HashRefreshToken(a));
}

TEST_CASE("auth tokens: refresh decision table (rotation, lost response, reuse interval)") {
  const int64_t revoked_at = 1'000 * kTokenSecond;
  RefreshTokenState live{"h1", "", false, 0};
  RefreshTokenState used{"h1", "", true, revoked_at};
  RefreshTokenState child_of_used{"h2", "h1", false, 0};
  RefreshTokenState unrelated_active{"h3", "h2", false, 0};

  struct Case {
    const char* name;
    RefreshTokenState presented;
    std::optional<RefreshTokenState> active;
    int64_t now;
    int64_t interval;
    RefreshDecision expected;
  };
  const Case cases[] = {
      {"unrevoked rotates", live, std::nullopt, revoked_at, 10, RefreshDecision::kRotate},
      {"unrevoked rotates even if not newest", live, unrelated_active, revoked_at, 0,
       RefreshDecision::kRotate},
      {"parent of active returns it", used, child_of_used, revoked_at + 10 * kTokenSecond, 10,
       RefreshDecision::kReturnActive},
      {"parent of active past the interval is reuse", used, child_of_used,
       revoked_at + 10 * kTokenSecond + 1, 10, RefreshDecision::kAlreadyUsed},
      {"interval 0: parent of active right after is reuse", used, child_of_used, revoked_at + 1, 0,
       RefreshDecision::kAlreadyUsed},
      {"within interval rotates", used, unrelated_active, revoked_at + 10 * kTokenSecond, 10,
       RefreshDecision::kRotate},
      {"just after interval is reuse", used, unrelated_active, revoked_at + 10 * kTokenSecond + 1,
       10, RefreshDecision::kAlreadyUsed},
      {"interval 0: same instant still valid", used, std::nullopt, revoked_at, 0,
       RefreshDecision::kRotate},
      {"interval 0: one microsecond later is reuse", used, std::nullopt, revoked_at + 1, 0,
       RefreshDecision::kAlreadyUsed},
      {"no active token, late: reuse", used, std::nullopt, revoked_at + 11 * kTokenSecond, 10,
       RefreshDecision::kAlreadyUsed},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(DecideRefresh(c.presented, c.active, c.now, c.interval) == c.expected);
  }
}

TEST_CASE("auth tokens: a sealed child opens only with its parent") {
  std::string sealed = SealForChild("parent-token", "child-token");
  CHECK(sealed.find("child-token") == std::string::npos);
  CHECK(UnsealWithParent("parent-token", sealed) == std::optional<std::string>("child-token"));
  CHECK_FALSE(UnsealWithParent("other-token", sealed).has_value());
  CHECK_FALSE(UnsealWithParent("parent-token", "zz").has_value());
  CHECK_FALSE(UnsealWithParent("parent-token", "").has_value());
  // Fresh nonce each time: sealing twice gives different text.
  CHECK(SealForChild("parent-token", "child-token") != sealed);
}

}  // namespace
}  // namespace ib::auth
