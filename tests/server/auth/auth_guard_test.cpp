#include "server/auth/auth_guard.h"

#include <doctest/doctest.h>

#include "server/auth/jwt.h"
#include "storage/error.h"
#include "tests/support/test_checks.h"

namespace ib::auth {
namespace {

constexpr char kSecret[] = "guard-test-secret-0123456789abcdef0123456789";
constexpr int64_t kNow = 1'700'000'000;
constexpr char kUser[] = "0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10";

std::string Token(nlohmann::json claims, const char* secret = kSecret) {
  if (!claims.contains("exp")) claims["exp"] = kNow + 60;
  return SignHs256(claims, secret);
}

std::string Bearer(const std::string& token) { return "Bearer " + token; }

using testing::Refusal;

TEST_CASE("auth guard: apikey must be one of our anon/service keys") {
  auto check = [](std::optional<std::string> key) {
    return Refusal([&] {
      RequireApiKey(key ? std::optional<std::string_view>(*key) : std::nullopt, kSecret, kNow);
    });
  };
  CHECK(check(Token({{"role", "anon"}})).first == 0);
  CHECK(check(Token({{"role", "service_role"}})).first == 0);
  CHECK(check(std::nullopt).first == 401);
  CHECK(check(std::string("")).first == 401);
  CHECK(check(std::string("not-a-key")).first == 401);
  CHECK(check(Token({{"role", "anon"}}, "another-secret-0123456789abcdef0123456789")).first == 401);
  CHECK(check(Token({{"role", "anon"}, {"exp", kNow - 1}})).first == 401);
  CHECK(check(Token({{"role", "authenticated"}, {"sub", kUser}})).first == 401);
}

TEST_CASE("auth guard: user token refusals (no bearer 401, bad or expired 403 bad_jwt)") {
  auto check = [](std::optional<std::string> header) {
    return Refusal([&] {
      RequireUserToken(header ? std::optional<std::string_view>(*header) : std::nullopt, kSecret,
                       kNow);
    });
  };
  using R = std::pair<int, std::string>;
  CHECK(check(std::nullopt) == R{401, "no_authorization"});
  CHECK(check(std::string("Bearer ")) == R{401, "no_authorization"});
  CHECK(check(std::string("Basic abc")) == R{401, "no_authorization"});
  CHECK(check(Bearer("garbage")) == R{403, "bad_jwt"});
  CHECK(check(Bearer(Token({{"sub", kUser}, {"role", "authenticated"}, {"exp", kNow}}))) ==
        R{403, "bad_jwt"});
  CHECK(check(Bearer(Token({{"role", "anon"}}))) == R{403, "bad_jwt"});  // no sub
  CHECK(check(Bearer(Token({{"sub", "not-a-uuid"}}))) == R{400, "bad_jwt"});
  CHECK(check(Bearer(Token({{"sub", kUser}, {"session_id", "x"}}))) == R{403, "bad_jwt"});
  CHECK(check("bearer " + Token({{"sub", kUser}})).first == 0);  // scheme is case-insensitive

  UserClaims who = RequireUserToken(
      Bearer(Token({{"sub", kUser}, {"session_id", "11111111-2222-4333-8444-555555555555"}})),
      kSecret, kNow);
  CHECK(who.user_id == kUser);
  CHECK(who.session_id == std::optional<std::string>("11111111-2222-4333-8444-555555555555"));
  CHECK_FALSE(
      RequireUserToken(Bearer(Token({{"sub", kUser}})), kSecret, kNow).session_id.has_value());
}

TEST_CASE("auth guard: admin API admits service_role only") {
  auto check = [](std::optional<std::string> header) {
    return Refusal([&] {
      RequireAdmin(header ? std::optional<std::string_view>(*header) : std::nullopt, kSecret, kNow);
    });
  };
  using R = std::pair<int, std::string>;
  CHECK(check(Bearer(Token({{"role", "service_role"}}))) == R{0, ""});
  CHECK(check(std::nullopt) == R{401, "no_authorization"});
  CHECK(check(Bearer(Token({{"role", "anon"}}))) == R{403, "not_admin"});
  CHECK(check(Bearer(Token({{"role", "authenticated"}, {"sub", kUser}}))) == R{403, "not_admin"});
  CHECK(check(Bearer(Token({{"role", "service_role"}, {"exp", kNow - 5}}))) == R{403, "bad_jwt"});
  CHECK(check(Bearer(Token({{"role", "service_role"}},
                           "wrong-secret-0123456789abcdef0123456789"))) == R{403, "bad_jwt"});
}

}  // namespace
}  // namespace ib::auth
