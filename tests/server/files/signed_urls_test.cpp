#include "server/files/signed_urls.h"

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "server/files/file_auth.h"
#include "storage/error.h"

namespace ib::files {
namespace {

constexpr char kSecret[] = "super-secret-jwt-token-with-at-least-32-characters-long";
constexpr int64_t kNow = 1'700'000'000;

std::string ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const storage::Error& e) {
    return e.code() + ": " + e.message();
  }
  return "ok";
}

TEST_CASE("files/signed_urls: raw path, verification, expiry, other objects") {
  std::string token = SignObjectToken("b", "dir/a b.txt", 60, kSecret, kNow);
  CHECK(SignedUrlPath("b", "dir/a b.txt", token) == "/object/sign/b/dir/a b.txt?token=" + token);
  CHECK(ErrorOf([&] { VerifyObjectToken(token, "b", "dir/a b.txt", kSecret, kNow + 59); }) == "ok");
  CHECK(ErrorOf([&] { VerifyObjectToken(token, "b", "dir/a b.txt", kSecret, kNow + 60); }) ==
        "InvalidJWT: jwt expired");
  CHECK(ErrorOf([&] { VerifyObjectToken(token, "b", "dir/other.txt", kSecret, kNow); }) ==
        "InvalidSignature: The url do not match the signature");
  CHECK(ErrorOf([&] { VerifyObjectToken(token, "c", "dir/a b.txt", kSecret, kNow); }) ==
        "InvalidSignature: The url do not match the signature");
  CHECK(ErrorOf([&] {
          VerifyObjectToken(token, "b", "dir/a b.txt", "another-secret-of-at-least-32-chars!!",
                            kNow);
        }) == "InvalidJWT: invalid signature");
  CHECK(ErrorOf([&] { VerifyObjectToken("garbage", "b", "k", kSecret, kNow); }) ==
        "InvalidJWT: jwt malformed");
  CHECK(ErrorOf([&] {
          VerifyObjectToken("", "b", "k", kSecret, kNow);
        }).rfind("MissingParameter", 0) == 0);
}

TEST_CASE("files/auth: the apikey gate, then strict and lenient principals") {
  std::string user =
      auth::SignHs256({{"role", "authenticated"}, {"sub", "u1"}, {"exp", kNow + 10}}, kSecret);
  std::string expired = auth::SignHs256({{"role", "authenticated"}, {"exp", kNow - 1}}, kSecret);
  std::string anon_key = auth::SignHs256({{"role", "anon"}, {"exp", kNow + 10}}, kSecret);
  std::string bearer = "Bearer " + user;
  auto strict = [&](std::optional<std::string_view> authz, std::optional<std::string_view> key) {
    return StoragePrincipal(authz, key, kSecret, kNow, AuthMode::kStrict);
  };
  const std::string_view anon(anon_key);
  CHECK(strict(std::string_view(bearer), anon).user_id == "u1");
  CHECK(strict(std::nullopt, anon).is_anon());
  std::string expired_bearer = "Bearer " + expired;
  CHECK(ErrorOf([&] { strict(std::string_view(expired_bearer), anon); }) ==
        "AccessDenied: jwt expired");
  // The gateway: no apikey, or one that is not a project key (a user's token, a stranger's
  // key), is refused before the bearer is looked at, in both modes.
  CHECK(ErrorOf([&] { strict(std::string_view(bearer), std::nullopt); }) ==
        "no_api_key: No API key found in request");
  CHECK(ErrorOf([&] { strict(std::nullopt, std::nullopt); }) ==
        "no_api_key: No API key found in request");
  CHECK(ErrorOf([&] { strict(std::nullopt, std::string_view(user)); }) ==
        "invalid_api_key: Invalid API key");
  CHECK(ErrorOf([&] {
          StoragePrincipal(std::string_view(bearer), std::string_view("x"), kSecret, kNow,
                           AuthMode::kLenient);
        }) == "invalid_api_key: Invalid API key");
  auto lenient =
      StoragePrincipal(std::string_view(expired_bearer), anon, kSecret, kNow, AuthMode::kLenient);
  CHECK(lenient.is_anon());
}

}  // namespace
}  // namespace ib::files
