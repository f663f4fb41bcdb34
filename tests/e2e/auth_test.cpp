// /auth/v1 against the real binary: every call supabase-js makes (docs/wire.md) and every refusal,
// shaped like the requests supabase-js sends. Servers run with --password-cost minimal.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "server/auth/jwt.h"
#include "tests/e2e/support/server_process.h"

namespace ib::e2e {
namespace {

using nlohmann::json;

json SignUpBody(const std::string& email, const std::string& password, json data = json::object()) {
  // What supabase-js's signUp() sends.
  return {{"email", email},
          {"password", password},
          {"data", data},
          {"gotrue_meta_security", json::object()},
          {"code_challenge", nullptr},
          {"code_challenge_method", nullptr}};
}

Reply EmailSignUp(const ServerProcess& s, const std::string& email,
                  const std::string& password = "secret1", json data = json::object()) {
  return s.Send("POST", "/auth/v1/signup", s.anon_key(), SignUpBody(email, password, data).dump());
}

Reply PasswordSignIn(const ServerProcess& s, const std::string& email,
                     const std::string& password) {
  return s.Send(
      "POST", "/auth/v1/token?grant_type=password", s.anon_key(),
      json({{"email", email}, {"password", password}, {"gotrue_meta_security", {}}}).dump());
}

Reply RefreshGrant(const ServerProcess& s, const std::string& token) {
  return s.Send("POST", "/auth/v1/token?grant_type=refresh_token", s.anon_key(),
                json({{"refresh_token", token}}).dump());
}

json Claims(const std::string& token) {
  return auth::VerifyHs256(token, kTestSecret, 0).claims;  // exp checked against 0: never late
}

// The GoTrue error contract: status, body code, and the header that makes supabase-js read it.
void CheckAuthErrorReply(const Reply& r, int status, const std::string& code) {
  CHECK(r.status == status);
  CHECK(r.header("X-Supabase-Api-Version") == "2024-01-01");
  json body = json::parse(r.body, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body["code"] == code);
  CHECK(body["message"].is_string());
}

TEST_CASE("e2e auth: sign-up returns a session - duplicate, weak, malformed refused (rows 42-44)") {
  ServerProcess s(FastPasswords());
  Reply r = EmailSignUp(s, "A@X.io");
  REQUIRE(r.status == 200);
  json session = r.json();
  CHECK_FALSE(session["access_token"].get<std::string>().empty());
  CHECK_FALSE(session["refresh_token"].get<std::string>().empty());
  CHECK(session["expires_in"] == 3600);
  CHECK(session["expires_at"].is_number_integer());
  CHECK(session["token_type"] == "bearer");
  CHECK(session["user"]["id"].is_string());
  CHECK(session["user"]["email"] == "a@x.io");
  CHECK(session["user"]["aud"] == "authenticated");
  CHECK(session["user"]["app_metadata"]["provider"] == "email");
  CHECK(session["user"]["identities"][0]["provider"] == "email");
  CHECK(session["user"]["email_confirmed_at"].get<std::string>().back() == 'Z');
  json claims = Claims(session["access_token"]);
  CHECK(claims["sub"] == session["user"]["id"]);
  CHECK(claims["role"] == "authenticated");
  CHECK(claims["aud"] == "authenticated");
  CHECK(claims["exp"].get<int64_t>() - claims["iat"].get<int64_t>() == 3600);
  CHECK(claims["session_id"].is_string());
  CHECK(claims["amr"][0]["method"] == "password");

  CheckAuthErrorReply(EmailSignUp(s, "a@x.IO"), 422, "user_already_exists");
  Reply weak = EmailSignUp(s, "b@x.io", "1");
  CheckAuthErrorReply(weak, 422, "weak_password");
  CHECK(weak.json()["weak_password"]["reasons"] == json::array({"length"}));
  CheckAuthErrorReply(EmailSignUp(s, "not-an-email"), 400, "validation_failed");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/signup", s.anon_key(), "{"), 400, "bad_json");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/signup", s.anon_key(), "{}"), 400,
                      "validation_failed");
}

TEST_CASE("e2e auth: password grant and its refusals (row 45)") {
  ServerProcess s(FastPasswords());
  REQUIRE(EmailSignUp(s, "a@x.io").status == 200);
  Reply ok = PasswordSignIn(s, " A@x.io ", "secret1");
  REQUIRE(ok.status == 200);
  CHECK(ok.json()["user"].contains("last_sign_in_at"));
  CheckAuthErrorReply(PasswordSignIn(s, "a@x.io", "wrong-password"), 400, "invalid_credentials");
  CheckAuthErrorReply(PasswordSignIn(s, "nobody@x.io", "secret1"), 400, "invalid_credentials");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/token?grant_type=password", s.anon_key(),
                             R"({"password":"secret1"})"),
                      400, "validation_failed");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/token?grant_type=magic", s.anon_key(), "{}"), 400,
                      "validation_failed");
}

TEST_CASE("e2e auth: refresh rotates - reuse after the interval is refused (row 46)") {
  ServerProcess s(FastPasswords({"--refresh-reuse-interval", "0"}));
  json first = EmailSignUp(s, "a@x.io").json();
  const std::string r0 = first["refresh_token"];
  Reply second = RefreshGrant(s, r0);
  REQUIRE(second.status == 200);
  const std::string r1 = second.json()["refresh_token"];
  CHECK(r1 != r0);
  CHECK(Claims(second.json()["access_token"])["session_id"] ==
        Claims(first["access_token"])["session_id"]);
  CHECK(second.json()["user"]["id"] == first["user"]["id"]);

  CheckAuthErrorReply(RefreshGrant(s, r0), 400, "refresh_token_already_used");
  // Reuse ended the whole session: the newest token is gone with it.
  CheckAuthErrorReply(RefreshGrant(s, r1), 400, "refresh_token_not_found");
  CheckAuthErrorReply(RefreshGrant(s, "unknown-token"), 400, "refresh_token_not_found");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/token?grant_type=refresh_token", s.anon_key(), "{}"),
                      400, "validation_failed");
}

TEST_CASE("e2e auth: a lost refresh response is recovered within the reuse interval") {
  ServerProcess s(FastPasswords());  // default interval: 10 s
  const std::string r0 = EmailSignUp(s, "a@x.io").json()["refresh_token"];
  const std::string r1 = RefreshGrant(s, r0).json()["refresh_token"];
  Reply again = RefreshGrant(s, r0);
  REQUIRE(again.status == 200);
  CHECK(again.json()["refresh_token"] == r1);
  CHECK(RefreshGrant(s, r1).status == 200);
}

TEST_CASE("e2e auth: GET /user with token, expired token, no bearer (row 47)") {
  ServerProcess s(FastPasswords());
  json session = EmailSignUp(s, "a@x.io").json();
  const std::string token = session["access_token"];
  Reply me = s.Send("GET", "/auth/v1/user", token);
  REQUIRE(me.status == 200);
  CHECK(me.json()["id"] == session["user"]["id"]);
  CHECK(me.json()["email"] == "a@x.io");

  const std::string id = session["user"]["id"];
  CheckAuthErrorReply(
      s.Send("GET", "/auth/v1/user", ServerProcess::Token("authenticated", id, -10)), 403,
      "bad_jwt");
  CheckAuthErrorReply(s.Send("GET", "/auth/v1/user", "", "", {{"apikey", s.anon_key()}}), 401,
                      "no_authorization");
  CheckAuthErrorReply(s.Send("GET", "/auth/v1/user", s.anon_key()), 403, "bad_jwt");  // no sub
  CheckAuthErrorReply(
      s.Send("GET", "/auth/v1/user",
             ServerProcess::Token("authenticated", "0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10")),
      403, "user_not_found");
  // The apikey is checked first, as the gateway does.
  CHECK(s.Send("GET", "/auth/v1/user", "", "", {{"Authorization", "Bearer " + token}}).status ==
        401);
  CHECK(s.Send("GET", "/auth/v1/user", token, "", {{"apikey", "bogus"}}).status == 401);
}

TEST_CASE("e2e auth: PUT /user merges data and changes the password (row 48)") {
  ServerProcess s(FastPasswords());
  json session = EmailSignUp(s, "a@x.io", "secret1", {{"keep", "x"}, {"drop", 1}}).json();
  const std::string token = session["access_token"];
  Reply r =
      s.Send("PUT", "/auth/v1/user", token,
             R"({"data":{"k":1,"drop":null},"code_challenge":null,"code_challenge_method":null})");
  REQUIRE(r.status == 200);
  CHECK(r.json()["user_metadata"] == json::parse(R"({"keep":"x","k":1})"));
  CheckAuthErrorReply(s.Send("PUT", "/auth/v1/user", token, R"({"password":"secret1"})"), 422,
                      "same_password");
  CheckAuthErrorReply(s.Send("PUT", "/auth/v1/user", token, R"({"password":"x"})"), 422,
                      "weak_password");
  CheckAuthErrorReply(s.Send("PUT", "/auth/v1/user", token, R"({"app_metadata":{"role":"x"}})"),
                      403, "not_admin");
  REQUIRE(s.Send("PUT", "/auth/v1/user", token, R"({"password":"secret2"})").status == 200);
  CHECK(PasswordSignIn(s, "a@x.io", "secret2").status == 200);
  CheckAuthErrorReply(PasswordSignIn(s, "a@x.io", "secret1"), 400, "invalid_credentials");
  REQUIRE(EmailSignUp(s, "b@x.io").status == 200);
  CheckAuthErrorReply(s.Send("PUT", "/auth/v1/user", token, R"({"email":"B@x.io"})"), 422,
                      "email_exists");
}

TEST_CASE("e2e auth: logout scopes end sessions and their refresh tokens (row 49)") {
  ServerProcess s(FastPasswords());
  json a = EmailSignUp(s, "a@x.io").json();
  json b = PasswordSignIn(s, "a@x.io", "secret1").json();
  json c = PasswordSignIn(s, "a@x.io", "secret1").json();

  Reply others = s.Send("POST", "/auth/v1/logout?scope=others", a["access_token"]);
  CHECK(others.status == 204);
  CHECK(others.body.empty());
  CheckAuthErrorReply(RefreshGrant(s, b["refresh_token"]), 400, "refresh_token_not_found");
  CheckAuthErrorReply(s.Send("GET", "/auth/v1/user", c["access_token"]), 403, "session_not_found");
  CHECK(RefreshGrant(s, a["refresh_token"]).status == 200);

  json d = PasswordSignIn(s, "a@x.io", "secret1").json();
  CHECK(s.Send("POST", "/auth/v1/logout?scope=local", d["access_token"]).status == 204);
  CheckAuthErrorReply(RefreshGrant(s, d["refresh_token"]), 400, "refresh_token_not_found");

  json e = PasswordSignIn(s, "a@x.io", "secret1").json();
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/logout?scope=sideways", e["access_token"]), 400,
                      "validation_failed");
  CHECK(s.Send("POST", "/auth/v1/logout?scope=global", e["access_token"]).status == 204);
  CheckAuthErrorReply(RefreshGrant(s, e["refresh_token"]), 400, "refresh_token_not_found");
  json after = PasswordSignIn(s, "a@x.io", "secret1").json();
  CHECK(s.Send("POST", "/auth/v1/logout", after["access_token"]).status == 204);  // global
  CheckAuthErrorReply(RefreshGrant(s, after["refresh_token"]), 400, "refresh_token_not_found");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/logout", "", "", {{"apikey", s.anon_key()}}), 401,
                      "no_authorization");
}

TEST_CASE("e2e auth: admin create and its guard (row 50)") {
  ServerProcess s(FastPasswords());
  const std::string S = s.service_key();
  Reply created = s.Send("POST", "/auth/v1/admin/users", S,
                         R"({"email":"New@x.io","password":"secret1","email_confirm":true,
                             "user_metadata":{"full_name":"Nia"}})");
  REQUIRE(created.status == 200);
  CHECK(created.json()["email"] == "new@x.io");
  CHECK(created.json()["email_confirmed_at"].is_string());
  CHECK(created.json()["user_metadata"]["full_name"] == "Nia");
  CHECK(PasswordSignIn(s, "new@x.io", "secret1").status == 200);

  CheckAuthErrorReply(s.Send("POST", "/auth/v1/admin/users", s.anon_key(), R"({"email":"x@x.io"})"),
                      403, "not_admin");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/admin/users", "", R"({"email":"x@x.io"})",
                             {{"apikey", s.anon_key()}}),
                      401, "no_authorization");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/admin/users", "not.a.jwt", R"({"email":"x@x.io"})"),
                      403, "bad_jwt");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/admin/users",
                             ServerProcess::Token("service_role", "", -5), R"({"email":"x@x.io"})"),
                      403, "bad_jwt");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/admin/users", S, R"({"email":"NEW@x.io"})"), 422,
                      "email_exists");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/admin/users", S, R"({"password":"secret1"})"), 400,
                      "validation_failed");

  Reply unconfirmed =
      s.Send("POST", "/auth/v1/admin/users", S, R"({"email":"u@x.io","password":"secret1"})");
  REQUIRE(unconfirmed.status == 200);
  CHECK_FALSE(unconfirmed.json().contains("email_confirmed_at"));
  CheckAuthErrorReply(PasswordSignIn(s, "u@x.io", "secret1"), 400, "email_not_confirmed");
}

TEST_CASE("e2e auth: admin list pages with X-Total-Count and Link (row 51)") {
  ServerProcess s(FastPasswords());
  const std::string S = s.service_key();
  for (const char* email : {"a@x.io", "b@x.io", "c@x.io"}) {
    REQUIRE(s.Send("POST", "/auth/v1/admin/users", S, json({{"email", email}}).dump()).status ==
            200);
  }
  Reply all = s.Send("GET", "/auth/v1/admin/users?page=&per_page=", S);
  REQUIRE(all.status == 200);
  CHECK(all.json()["aud"] == "authenticated");
  CHECK(all.json()["users"].size() == 3);
  CHECK(all.header("X-Total-Count") == "3");
  CHECK(all.header("Link").find("rel=\"last\"") != std::string::npos);
  CHECK(all.header("Link").find("rel=\"next\"") == std::string::npos);

  Reply page = s.Send("GET", "/auth/v1/admin/users?page=1&per_page=2", S);
  REQUIRE(page.status == 200);
  CHECK(page.json()["users"].size() == 2);
  CHECK(page.json()["users"][0]["email"] == "c@x.io");  // newest first
  CHECK(page.header("Link") ==
        "</auth/v1/admin/users?page=2&per_page=2>; rel=\"next\", "
        "</auth/v1/admin/users?page=2&per_page=2>; rel=\"last\"");
  CHECK(s.Send("GET", "/auth/v1/admin/users?page=2&per_page=2", S).json()["users"].size() == 1);
  CheckAuthErrorReply(s.Send("GET", "/auth/v1/admin/users?page=x", S), 400, "validation_failed");
  CheckAuthErrorReply(s.Send("GET", "/auth/v1/admin/users", s.anon_key()), 403, "not_admin");
}

TEST_CASE("e2e auth: admin delete cascades to the profile and interviews (row 52)") {
  ServerProcess s(FastPasswords());
  const std::string S = s.service_key();
  json session =
      EmailSignUp(s, "a@x.io", "secret1", {{"name", "ada"}, {"avatar_url", "https://a.png"}})
          .json();
  const std::string id = session["user"]["id"];
  REQUIRE(EmailSignUp(s, "keep@x.io").status == 200);
  Reply interview = s.Send("POST", "/rest/v1/interview_sessions", S,
                           json({{"user_id", id}, {"title", "Mock 1"}}).dump());
  REQUIRE(interview.status == 201);
  CHECK(s.Send("GET", "/rest/v1/interview_sessions?user_id=eq." + id, S).json().size() == 1);

  Reply fetched = s.Send("GET", "/auth/v1/admin/users/" + id, S);
  REQUIRE(fetched.status == 200);
  CHECK(fetched.json()["email"] == "a@x.io");
  Reply deleted =
      s.Send("DELETE", "/auth/v1/admin/users/" + id, S, R"({"should_soft_delete":false})");
  CHECK(deleted.status == 200);
  CHECK(deleted.json() == json::object());
  CheckAuthErrorReply(s.Send("GET", "/auth/v1/admin/users/" + id, S), 404, "user_not_found");
  CheckAuthErrorReply(s.Send("DELETE", "/auth/v1/admin/users/" + id, S), 404, "user_not_found");

  CHECK(s.Send("GET", "/rest/v1/profiles?id=eq." + id, S).json() == json::array());
  CHECK(s.Send("GET", "/rest/v1/interview_sessions?user_id=eq." + id, S).json() == json::array());
  CHECK(s.Send("GET", "/rest/v1/profiles?select=email", S).json() ==
        json::parse(R"([{"email":"keep@x.io"}])"));
  CheckAuthErrorReply(RefreshGrant(s, session["refresh_token"]), 400, "refresh_token_not_found");
  CheckAuthErrorReply(s.Send("GET", "/auth/v1/user", session["access_token"]), 403,
                      "user_not_found");
}

TEST_CASE("e2e auth: the new user's profile takes name, full_name and avatar_url from metadata") {
  ServerProcess s(FastPasswords());
  const std::string S = s.service_key();
  const std::string a =
      EmailSignUp(s, "a@x.io", "secret1",
                  {{"full_name", "Ada Lovelace"}, {"name", "ada"}, {"picture", "https://p.png"}})
          .json()["user"]["id"];
  const std::string b = s.Send("POST", "/auth/v1/admin/users", S,
                               R"({"email":"b@x.io","user_metadata":{"name":"bo",
                                   "avatar_url":"https://b.png","picture":"https://x.png"}})")
                            .json()["id"];
  const std::string select = "select=email,name,full_name,avatar_url";
  CHECK(s.Send("GET", "/rest/v1/profiles?" + select + "&id=eq." + a, S).json() ==
        json::parse(R"([{"email":"a@x.io","name":"Ada Lovelace","full_name":"Ada Lovelace",
                        "avatar_url":"https://p.png"}])"));
  CHECK(s.Send("GET", "/rest/v1/profiles?" + select + "&id=eq." + b, S).json() ==
        json::parse(R"([{"email":"b@x.io","name":"bo","full_name":"bo",
                        "avatar_url":"https://b.png"}])"));
}

TEST_CASE("e2e auth: rate limits answer 429 over_request_rate_limit") {
  ServerProcess s(FastPasswords({"--signin-failures-per-email", "2", "--signin-failures-per-ip",
                                 "5", "--signups-per-ip", "3", "--refreshes-per-ip", "2"}));
  const std::string r0 = EmailSignUp(s, "a@x.io").json()["refresh_token"];
  CheckAuthErrorReply(PasswordSignIn(s, "a@x.io", "bad-password"), 400, "invalid_credentials");
  CheckAuthErrorReply(PasswordSignIn(s, "A@x.io", "bad-password"), 400, "invalid_credentials");
  CheckAuthErrorReply(PasswordSignIn(s, "a@x.io", "secret1"), 429, "over_request_rate_limit");
  CheckAuthErrorReply(PasswordSignIn(s, "b@x.io", "bad-password"), 400, "invalid_credentials");
  CheckAuthErrorReply(PasswordSignIn(s, "c@x.io", "bad-password"), 400, "invalid_credentials");
  CheckAuthErrorReply(PasswordSignIn(s, "d@x.io", "bad-password"), 400, "invalid_credentials");
  CheckAuthErrorReply(PasswordSignIn(s, "e@x.io", "bad-password"), 429, "over_request_rate_limit");

  REQUIRE(EmailSignUp(s, "b@x.io").status == 200);
  REQUIRE(EmailSignUp(s, "c@x.io").status == 200);
  CheckAuthErrorReply(EmailSignUp(s, "d@x.io"), 429, "over_request_rate_limit");
  CHECK(s.Send("GET", "/auth/v1/admin/users", s.service_key()).header("X-Total-Count") == "3");

  const std::string r1 = RefreshGrant(s, r0).json()["refresh_token"];
  REQUIRE(RefreshGrant(s, r1).status == 200);
  CheckAuthErrorReply(RefreshGrant(s, r1), 429, "over_request_rate_limit");
}

TEST_CASE("e2e auth: apikey, settings, health and unknown endpoints") {
  ServerProcess s(FastPasswords());
  CHECK(s.Send("GET", "/auth/v1/settings", "", "", {{"apikey", s.anon_key()}})
            .json()["external"]["email"] == true);
  CHECK(s.Send("GET", "/auth/v1/health", "", "", {{"apikey", s.anon_key()}}).json()["name"] ==
        "GoTrue");
  CHECK(s.Send("GET", "/auth/v1/health?apikey=" + s.anon_key(), "").status == 200);
  Reply missing = s.Send("GET", "/auth/v1/settings", "");
  CHECK(missing.status == 401);
  CHECK(missing.json()["message"] == "No API key found in request");
  Reply bogus = s.Send("GET", "/auth/v1/settings", "", "", {{"apikey", "sb_nope"}});
  CHECK(bogus.status == 401);
  CHECK(bogus.json()["message"] == "Invalid API key");
  CheckAuthErrorReply(s.Send("POST", "/auth/v1/otp", s.anon_key(), "{}"), 404, "not_found");
}

}  // namespace
}  // namespace ib::e2e
