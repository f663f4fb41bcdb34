#include "server/auth/users.h"

#include <doctest/doctest.h>

#include "server/auth/admin_users.h"
#include "storage/error.h"

namespace ib::auth {
namespace {

int StatusOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const storage::Error& e) {
    return e.status();
  }
  return 0;
}

std::string CodeOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const storage::Error& e) {
    return e.code();
  }
  return "";
}

UserRecord Confirmed() {
  UserRecord u;
  u.id = "0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10";
  u.email = "a@x.io";
  u.app_metadata = {{"provider", "email"}, {"providers", {"email"}}};
  u.user_metadata = {{"k", 1}};
  u.email_confirmed_at = "2024-05-01T12:00:00.123456+00:00";
  u.last_sign_in_at = "2024-05-01T12:00:01.000000+00:00";
  u.created_at = "2024-05-01T12:00:00.123456+00:00";
  u.updated_at = "2024-05-01T12:00:02.000000+00:00";
  return u;
}

TEST_CASE("auth users: user JSON has the fields supabase-js reads, null timestamps omitted") {
  IdentityRecord identity{"7f1c0a52-1111-4222-8333-444455556666",
                          Confirmed().id,
                          "email",
                          Confirmed().id,
                          std::nullopt,
                          "2024-05-01T12:00:00.123456+00:00",
                          "2024-05-01T12:00:00.123456+00:00"};
  nlohmann::json j = UserJson(Confirmed(), {identity});
  CHECK(j["id"] == Confirmed().id);
  CHECK(j["aud"] == "authenticated");
  CHECK(j["role"] == "authenticated");
  CHECK(j["email"] == "a@x.io");
  CHECK(j["phone"] == "");
  CHECK(j["email_confirmed_at"] == "2024-05-01T12:00:00.123456Z");
  CHECK(j["confirmed_at"] == "2024-05-01T12:00:00.123456Z");
  CHECK(j["last_sign_in_at"] == "2024-05-01T12:00:01.000000Z");
  CHECK_FALSE(j.contains("banned_until"));
  CHECK_FALSE(j.contains("phone_confirmed_at"));
  CHECK(j["app_metadata"] ==
        nlohmann::json::parse(R"({"provider":"email","providers":["email"]})"));
  CHECK(j["user_metadata"] == nlohmann::json::parse(R"({"k":1})"));
  CHECK(j["created_at"] == "2024-05-01T12:00:00.123456Z");
  CHECK(j["updated_at"] == "2024-05-01T12:00:02.000000Z");
  CHECK(j["is_anonymous"] == false);
  REQUIRE(j["identities"].size() == 1);
  const auto& i = j["identities"][0];
  CHECK(i["identity_id"] == identity.id);
  CHECK(i["id"] == Confirmed().id);
  CHECK(i["user_id"] == Confirmed().id);
  CHECK(i["provider"] == "email");
  CHECK(i["email"] == "a@x.io");
  CHECK(i["identity_data"] == nlohmann::json({{"sub", Confirmed().id},
                                              {"email", "a@x.io"},
                                              {"email_verified", true},
                                              {"phone_verified", false}}));
  CHECK_FALSE(i.contains("last_sign_in_at"));

  UserRecord unconfirmed = Confirmed();
  unconfirmed.email_confirmed_at.reset();
  unconfirmed.last_sign_in_at.reset();
  nlohmann::json u = UserJson(unconfirmed, {});
  CHECK_FALSE(u.contains("email_confirmed_at"));
  CHECK_FALSE(u.contains("confirmed_at"));
  CHECK_FALSE(u.contains("last_sign_in_at"));
  CHECK(u["identities"] == nlohmann::json::array());
}

TEST_CASE("auth users: GoTrue timestamps end in Z") {
  CHECK(GoTrueTime("2024-05-01T12:00:00.123456+00:00") == "2024-05-01T12:00:00.123456Z");
  CHECK(GoTrueTime("2024-05-01T12:00:00Z") == "2024-05-01T12:00:00Z");
}

TEST_CASE("auth users: emails are trimmed, lower-cased and shape-checked") {
  CHECK(NormalizeEmail("  Ada@Example.COM ") == "ada@example.com");
  CHECK(NormalizeEmail("a.b+tag@sub.example.io") == "a.b+tag@sub.example.io");
  CHECK(NormalizeEmail("a@localhost") == "a@localhost");
  for (const char* bad : {"", "a", "@x.io", "a@", "a@@x.io", "a b@x.io", "a@x..io", "a@-x.io",
                          "a@x-.io", "a@x.io.", "a@x_y.io", "a@x.io@y"}) {
    CAPTURE(bad);
    CHECK(CodeOf([&] { NormalizeEmail(bad); }) == "validation_failed");
    CHECK(StatusOf([&] { NormalizeEmail(bad); }) == 400);
  }
  CHECK(CodeOf([&] { NormalizeEmail(std::string(251, 'a') + "@x.io"); }) == "validation_failed");
}

TEST_CASE("auth users: password length counts characters, refusal is 422 weak_password") {
  CHECK(StatusOf([] { CheckPasswordStrength("secret", 6); }) == 0);
  CHECK(StatusOf([] { CheckPasswordStrength("12345", 6); }) == 422);
  CHECK(StatusOf([] { CheckPasswordStrength("", 1); }) == 422);
  CHECK(StatusOf([] { CheckPasswordStrength("\xC3\xA9\xC3\xA9\xC3\xA9", 4); }) == 422);  // 3 chars
  try {
    CheckPasswordStrength("1", 6);
    FAIL("expected weak_password");
  } catch (const storage::Error& e) {
    CHECK(e.code() == "weak_password");
    CHECK(e.message() == "Password should be at least 6 characters.");
    REQUIRE(e.details().has_value());
    CHECK(nlohmann::json::parse(*e.details()) ==
          nlohmann::json::parse(R"({"reasons":["length"]})"));
  }
}

TEST_CASE("auth users: metadata merge keeps other keys and removes nulls") {
  nlohmann::json md = {{"a", 1}, {"b", 2}};
  MergeMetadata(md, {{"b", nullptr}, {"c", {{"nested", true}}}}, "data");
  CHECK(md == nlohmann::json::parse(R"({"a":1,"c":{"nested":true}})"));
  CHECK(CodeOf([&] { MergeMetadata(md, nlohmann::json::array(), "data"); }) == "validation_failed");
}

TEST_CASE("auth users: a UUID is 8-4-4-4-12 hex digits in either case") {
  CHECK(IsUuid("0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10"));
  CHECK(IsUuid("0B7E4F5C-8D1A-4C3E-9F2B-6A5D4C3B2A10"));
  CHECK_FALSE(IsUuid("0b7e4f5c8d1a4c3e9f2b6a5d4c3b2a10"));
  CHECK_FALSE(IsUuid("0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a1g"));
}

TEST_CASE("auth users: string fields refuse other JSON types") {
  nlohmann::json body = {{"email", 5}, {"password", nullptr}};
  CHECK(StringField(body, "password") == "");
  CHECK(StringField(body, "absent") == "");
  CHECK(CodeOf([&] { StringField(body, "email"); }) == "validation_failed");
}

TEST_CASE("auth users: admin pagination Link as supabase-js parses it") {
  CHECK(PaginationLink("/auth/v1/admin/users", 1, 50, 120) ==
        "</auth/v1/admin/users?page=2&per_page=50>; rel=\"next\", "
        "</auth/v1/admin/users?page=3&per_page=50>; rel=\"last\"");
  CHECK(PaginationLink("/auth/v1/admin/users", 3, 50, 120) ==
        "</auth/v1/admin/users?page=3&per_page=50>; rel=\"last\"");
  CHECK(PaginationLink("/p", 1, 2, 2) == "</p?page=1&per_page=2>; rel=\"last\"");
  CHECK(PaginationLink("/p", 1, 50, 0) == "</p?page=0&per_page=50>; rel=\"last\"");
}

}  // namespace
}  // namespace ib::auth
