// Sessions and AdminUsers against a fresh in-memory database, with the request clock in the
// test's hands (so rotation windows are exact) and the minimal password cost.
#include "server/auth/sessions.h"

#include <doctest/doctest.h>

#include <set>
#include <vector>

#include "server/auth/admin_users.h"
#include "server/auth/jwt.h"
#include "server/auth/tokens.h"
#include "storage/change_log.h"
#include "storage/error.h"
#include "tests/support/test_checks.h"
#include "tests/support/test_db.h"

namespace ib::auth {
namespace {

using nlohmann::json;

constexpr char kSessionSecret[] = "sessions-test-secret-0123456789abcdef0123456789";
constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kStart = 1'700'000'000 * kSecond;

AuthOptions TestOptions() {
  AuthOptions o;
  o.password_cost = MinimalCost();
  return o;
}

struct Fixture {
  explicit Fixture(AuthOptions options = TestOptions())
      : env{db.db(), kSessionSecret, options}, sessions(env), admin(env) {}

  RequestMeta At(int64_t offset_micros, std::string ip = "10.0.0.1") const {
    return RequestMeta{std::move(ip), "http://test/auth/v1",
                       storage::RequestClock{kStart + offset_micros}};
  }
  int64_t Count(const std::string& sql, std::vector<storage::SqlValue> params = {}) {
    return std::get<int64_t>(db.Scalar(sql, std::move(params)));
  }
  json SignUp(const std::string& email, const std::string& password = "secret1",
              json data = json::object()) {
    return sessions.SignUp({{"email", email}, {"password", password}, {"data", data}}, At(0));
  }
  // The caller of an access token, as the guard would hand it over.
  UserClaims Who(const json& session) const {
    json claims =
        VerifyHs256(session["access_token"].get<std::string>(), kSessionSecret, kStart / kSecond)
            .claims;
    return UserClaims{claims["sub"], claims["session_id"].get<std::string>()};
  }

  testing::TestDb db;
  AuthEnv env;
  Sessions sessions;
  AdminUsers admin;
};

using testing::Refusal;
using R = std::pair<int, std::string>;

TEST_CASE(
    "auth sessions: sign-up creates a confirmed user, identity and profile, returns a session") {
  Fixture f;
  json s = f.SignUp("Ada@X.io", "secret1", {{"full_name", "Ada L"}, {"picture", "http://p"}});
  CHECK_FALSE(s["access_token"].get<std::string>().empty());
  CHECK_FALSE(s["refresh_token"].get<std::string>().empty());
  CHECK(s["expires_in"] == 3600);
  CHECK(s["expires_at"] == kStart / kSecond + 3600);
  const json& user = s["user"];
  CHECK(user["email"] == "ada@x.io");
  CHECK(user.contains("email_confirmed_at"));
  CHECK(user.contains("last_sign_in_at"));
  CHECK(user["user_metadata"]["full_name"] == "Ada L");
  CHECK(user["identities"].size() == 1);
  const std::string id = user["id"];
  CHECK(f.Who(s).user_id == id);
  CHECK(f.Count("SELECT count(*) FROM profiles WHERE id = ? AND email = 'ada@x.io' AND "
                "name = 'Ada L' AND full_name = 'Ada L' AND avatar_url = 'http://p'",
                {id}) == 1);
  CHECK(f.Count("SELECT count(*) FROM auth_sessions") == 1);
}

TEST_CASE("auth sessions: each call is one unit of work, published whole or not at all") {
  Fixture f;
  using Change = std::pair<std::string, storage::ChangeOp>;
  std::vector<std::set<Change>> batches;
  auto id = f.db.db().changes().Subscribe([&](const std::vector<storage::ChangeRecord>& batch) {
    std::set<Change> changes;
    for (const storage::ChangeRecord& r : batch) changes.emplace(r.table, r.op);
    batches.push_back(std::move(changes));
  });
  json session = f.SignUp("ada@x.io");
  REQUIRE(batches.size() == 1);
  for (const char* table :
       {"auth_users", "auth_identities", "profiles", "auth_sessions", "auth_refresh_tokens"}) {
    CAPTURE(table);
    CHECK(batches[0].count({table, storage::ChangeOp::kInsert}) == 1);
  }

  CHECK(Refusal([&] { f.SignUp("ada@x.io"); }) == R{422, "user_already_exists"});
  CHECK(batches.size() == 1);  // refused: nothing committed, nothing published

  f.sessions.Logout(f.Who(session), "global", f.At(kSecond));
  REQUIRE(batches.size() == 2);
  CHECK(batches[1] == std::set<Change>{{"auth_sessions", storage::ChangeOp::kDelete},
                                       {"auth_refresh_tokens", storage::ChangeOp::kDelete}});
  f.db.db().changes().Unsubscribe(id);
}

TEST_CASE("auth sessions: sign-up refusals write nothing") {
  Fixture f;
  f.SignUp("a@x.io");
  CHECK(Refusal([&] { f.SignUp("A@X.IO"); }) == R{422, "user_already_exists"});
  CHECK(Refusal([&] { f.SignUp("b@x.io", "1"); }) == R{422, "weak_password"});
  CHECK(Refusal([&] { f.SignUp("not-an-email"); }) == R{400, "validation_failed"});
  CHECK(Refusal([&] {
          f.sessions.SignUp({{"password", "secret1"}}, f.At(0));
        }) == R{400, "validation_failed"});
  CHECK(Refusal([&] {
          f.sessions.SignUp({{"email", "c@x.io"}}, f.At(0));
        }) == R{400, "validation_failed"});
  CHECK(Refusal([&] { f.SignUp("d@x.io", "secret1", json::array()); }) ==
        R{400, "validation_failed"});
  CHECK(f.Count("SELECT count(*) FROM auth_users") == 1);
  CHECK(f.Count("SELECT count(*) FROM profiles") == 1);
}

TEST_CASE("auth sessions: password sign-in, case-insensitive email, identical refusals") {
  Fixture f;
  f.SignUp("a@x.io");
  json s = f.sessions.SignInWithPassword({{"email", " A@x.IO"}, {"password", "secret1"}},
                                         f.At(5 * kSecond));
  CHECK(s["user"]["email"] == "a@x.io");
  CHECK(f.Count("SELECT count(*) FROM auth_sessions") == 2);
  CHECK(Refusal([&] {
          f.sessions.SignInWithPassword({{"email", "a@x.io"}, {"password", "wrong!"}}, f.At(0));
        }) == R{400, "invalid_credentials"});
  CHECK(
      Refusal([&] {
        f.sessions.SignInWithPassword({{"email", "nobody@x.io"}, {"password", "secret1"}}, f.At(0));
      }) == R{400, "invalid_credentials"});
  CHECK(Refusal([&] {
          f.sessions.SignInWithPassword({{"password", "x"}}, f.At(0));
        }) == R{400, "validation_failed"});
}

TEST_CASE(
    "auth sessions: refresh rotates in the same session; the parent gets the active token back") {
  Fixture f;  // reuse interval 10 s
  json s0 = f.SignUp("a@x.io");
  const std::string r0 = s0["refresh_token"];
  json s1 = f.sessions.Refresh({{"refresh_token", r0}}, f.At(1 * kSecond));
  const std::string r1 = s1["refresh_token"];
  CHECK(r1 != r0);
  CHECK(f.Who(s1).session_id == f.Who(s0).session_id);
  CHECK(s1["user"]["id"] == s0["user"]["id"]);

  // Lost response: r0 again within the interval returns r1 itself.
  json again = f.sessions.Refresh({{"refresh_token", r0}}, f.At(5 * kSecond));
  CHECK(again["refresh_token"] == r1);
  CHECK(f.Who(again).session_id == f.Who(s0).session_id);

  const std::string r2 =
      f.sessions.Refresh({{"refresh_token", r1}}, f.At(61 * kSecond))["refresh_token"];
  const std::string r3 =
      f.sessions.Refresh({{"refresh_token", r2}}, f.At(62 * kSecond))["refresh_token"];
  // r1 (revoked at 61 s) is no longer the active token's parent but is within 10 s: rotates.
  const std::string r4 =
      f.sessions.Refresh({{"refresh_token", r1}}, f.At(63 * kSecond))["refresh_token"];
  CHECK(r4 != r3);
  CHECK(r4 != r2);
  // Stored only hashed.
  CHECK(f.Count("SELECT count(*) FROM auth_refresh_tokens WHERE token_hash = ?",
                {HashRefreshToken(r3)}) == 1);
  CHECK(f.Count("SELECT count(*) FROM auth_refresh_tokens WHERE token_hash = ? OR "
                "sealed_by_parent = ?",
                {r3, r3}) == 0);
  // Past the interval the same token is reuse (and ends the session).
  CHECK(Refusal([&] {
          f.sessions.Refresh({{"refresh_token", r1}}, f.At(72 * kSecond));
        }) == R{400, "refresh_token_already_used"});
  CHECK(Refusal([&] {
          f.sessions.Refresh({{"refresh_token", "nope"}}, f.At(0));
        }) == R{400, "refresh_token_not_found"});
  CHECK(Refusal([&] { f.sessions.Refresh(json::object(), f.At(0)); }) ==
        R{400, "validation_failed"});
}

TEST_CASE("auth sessions: a reused refresh token past the interval revokes the whole session") {
  Fixture f;  // reuse interval 10 s: the active token must die at once all the same
  json s0 = f.SignUp("a@x.io");
  json other = f.SignUp("b@x.io");
  const std::string r0 = s0["refresh_token"];
  const std::string r1 =
      f.sessions.Refresh({{"refresh_token", r0}}, f.At(kSecond))["refresh_token"];
  const std::string r2 =
      f.sessions.Refresh({{"refresh_token", r1}}, f.At(2 * kSecond))["refresh_token"];
  CHECK(Refusal([&] {
          f.sessions.Refresh({{"refresh_token", r0}}, f.At(30 * kSecond));
        }) == R{400, "refresh_token_already_used"});
  // The session ended although the request was refused: r2, presented within the interval of
  // that moment, is gone with it; the other user's session is untouched.
  CHECK(f.Count("SELECT count(*) FROM auth_sessions") == 1);
  CHECK(Refusal([&] {
          f.sessions.Refresh({{"refresh_token", r2}}, f.At(31 * kSecond));
        }) == R{400, "refresh_token_not_found"});
  CHECK(f.sessions.Refresh({{"refresh_token", other["refresh_token"]}}, f.At(32 * kSecond))
            .contains("access_token"));
}

TEST_CASE("auth sessions: logout scopes end the right sessions and their refresh tokens") {
  Fixture f;
  json a = f.SignUp("a@x.io");
  auto sign_in = [&] {
    return f.sessions.SignInWithPassword({{"email", "a@x.io"}, {"password", "secret1"}}, f.At(0));
  };
  json b = sign_in(), c = sign_in();
  f.SignUp("other@x.io");
  CHECK(f.Count("SELECT count(*) FROM auth_sessions") == 4);

  f.sessions.Logout(f.Who(a), "others", f.At(0));
  CHECK(f.Count("SELECT count(*) FROM auth_sessions") == 2);  // a's own + other's
  CHECK(Refusal([&] {
          f.sessions.Refresh({{"refresh_token", b["refresh_token"]}}, f.At(0));
        }) == R{400, "refresh_token_not_found"});
  CHECK(Refusal([&] { f.sessions.GetUser(f.Who(c), f.At(0)); }) == R{403, "session_not_found"});

  f.sessions.Logout(f.Who(a), "local", f.At(0));
  CHECK(f.Count("SELECT count(*) FROM auth_sessions") == 1);
  CHECK(Refusal([&] { f.sessions.Logout(f.Who(a), "sideways", f.At(0)); }) ==
        R{400, "validation_failed"});

  json d = sign_in(), e = sign_in();
  f.sessions.Logout(f.Who(d), "", f.At(0));                   // default: global
  CHECK(f.Count("SELECT count(*) FROM auth_sessions") == 1);  // only other@x.io's
  CHECK(Refusal([&] {
          f.sessions.Refresh({{"refresh_token", e["refresh_token"]}}, f.At(0));
        }) == R{400, "refresh_token_not_found"});
}

TEST_CASE("auth sessions: PUT /user merges data, changes password and email") {
  Fixture f;
  json s = f.SignUp("a@x.io", "secret1", {{"keep", 1}, {"drop", 2}});
  f.SignUp("taken@x.io");
  UserClaims who = f.Who(s);
  json u = f.sessions.UpdateUser(who, {{"data", {{"k", 1}, {"drop", nullptr}}}}, f.At(0));
  CHECK(u["user_metadata"] == json::parse(R"({"keep":1,"k":1})"));

  CHECK(Refusal([&] {
          f.sessions.UpdateUser(who, {{"password", "secret1"}}, f.At(0));
        }) == R{422, "same_password"});
  CHECK(Refusal([&] {
          f.sessions.UpdateUser(who, {{"password", "x"}}, f.At(0));
        }) == R{422, "weak_password"});
  CHECK(Refusal([&] {
          f.sessions.UpdateUser(who, {{"app_metadata", {{"r", 1}}}}, f.At(0));
        }) == R{403, "not_admin"});
  CHECK(Refusal([&] {
          f.sessions.UpdateUser(who, {{"email", "Taken@x.io"}}, f.At(0));
        }) == R{422, "email_exists"});
  f.sessions.UpdateUser(who, {{"password", "secret2"}}, f.At(0));
  CHECK(Refusal([&] {
          f.sessions.SignInWithPassword({{"email", "a@x.io"}, {"password", "secret1"}}, f.At(0));
        }) == R{400, "invalid_credentials"});

  json moved = f.sessions.UpdateUser(who, {{"email", "New@x.io"}}, f.At(0));
  CHECK(moved["email"] == "new@x.io");
  CHECK(f.Count("SELECT count(*) FROM profiles WHERE id = ? AND email = 'new@x.io'",
                {who.user_id}) == 1);
  // The old address is free again, profile included.
  f.SignUp("a@x.io");
  CHECK(f.sessions.SignInWithPassword({{"email", "new@x.io"}, {"password", "secret2"}}, f.At(0))
            .contains("access_token"));
}

TEST_CASE("auth sessions: admin create, confirm rule, list and cascading delete") {
  Fixture f;
  json unconfirmed = f.admin.Create({{"email", "u@x.io"}, {"password", "secret1"}}, f.At(0));
  CHECK_FALSE(unconfirmed.contains("email_confirmed_at"));
  CHECK(Refusal([&] {
          f.sessions.SignInWithPassword({{"email", "u@x.io"}, {"password", "secret1"}}, f.At(0));
        }) == R{400, "email_not_confirmed"});
  json c = f.admin.Create({{"email", "c@x.io"},
                           {"password", "secret1"},
                           {"email_confirm", true},
                           {"user_metadata", {{"name", "Cy"}}}},
                          f.At(kSecond));
  CHECK(c.contains("email_confirmed_at"));
  CHECK(c["user_metadata"]["name"] == "Cy");
  CHECK(Refusal([&] { f.admin.Create({{"email", "C@x.io"}}, f.At(0)); }) == R{422, "email_exists"});
  CHECK(Refusal([&] {
          f.admin.Create({{"password", "secret1"}}, f.At(0));
        }) == R{400, "validation_failed"});

  UserListPage page = f.admin.List("1", "1", "", "/auth/v1/admin/users", f.At(0));
  CHECK(page.total == 2);
  CHECK(page.body["users"].size() == 1);
  CHECK(page.body["users"][0]["email"] == "c@x.io");  // newest first
  CHECK(page.body["aud"] == "authenticated");
  CHECK(page.link.find("rel=\"next\"") != std::string::npos);
  CHECK(Refusal([&] { f.admin.List("x", "", "", "/p", f.At(0)); }) == R{400, "validation_failed"});
  // filter: a part of the email or full name, ASCII case ignored, '%' and '_' taken literally.
  UserListPage found = f.admin.List("", "", "C@X", "/p", f.At(0));
  CHECK(found.total == 1);
  REQUIRE(found.body["users"].size() == 1);
  CHECK(found.body["users"][0]["email"] == "c@x.io");
  CHECK(f.admin.List("", "", "@x.io", "/p", f.At(0)).total == 2);
  CHECK(f.admin.List("", "", "%", "/p", f.At(0)).total == 0);
  CHECK(f.admin.List("", "", "_@x.io", "/p", f.At(0)).total == 0);
  CHECK(f.admin.List("", "", "nobody", "/p", f.At(0)).body["users"].empty());
  CHECK(Refusal([&] {
          f.admin.List("", "", std::string(kMaxUserFilterBytes + 1, 'a'), "/p", f.At(0));
        }) == R{400, "validation_failed"});

  const std::string id = c["id"];
  f.sessions.SignInWithPassword({{"email", "c@x.io"}, {"password", "secret1"}}, f.At(0));
  f.db.Exec("INSERT INTO interview_sessions (user_id, title) VALUES ('" + id + "', 't')");
  f.admin.Delete(id, f.At(0));
  CHECK(Refusal([&] { f.admin.Get(id, f.At(0)); }) == R{404, "user_not_found"});
  CHECK(Refusal([&] { f.admin.Delete(id, f.At(0)); }) == R{404, "user_not_found"});
  for (const char* table : {"profiles", "interview_sessions", "auth_sessions",
                            "auth_refresh_tokens", "auth_identities"}) {
    CAPTURE(table);
    const char* column = std::string(table) == "profiles" ? "id" : "user_id";
    CHECK(f.Count(std::string("SELECT count(*) FROM ") + table + " WHERE " + column + " = ?",
                  {id}) == 0);
  }
  CHECK(f.Count("SELECT count(*) FROM profiles") == 1);  // u@x.io's stays
}

TEST_CASE("auth sessions: admin update merges metadata, confirms and sets the password") {
  Fixture f;
  const std::string id =
      f.admin.Create({{"email", "u@x.io"}, {"user_metadata", {{"a", 1}}}}, f.At(0))["id"];
  json u = f.admin.Update(id,
                          {{"email_confirm", true},
                           {"password", "secret9"},
                           {"user_metadata", {{"b", 2}}},
                           {"app_metadata", {{"plan", "pro"}}}},
                          f.At(0));
  CHECK(u.contains("email_confirmed_at"));
  CHECK(u["user_metadata"] == json::parse(R"({"a":1,"b":2})"));
  CHECK(u["app_metadata"]["plan"] == "pro");
  CHECK(u["app_metadata"]["provider"] == "email");
  CHECK(f.sessions.SignInWithPassword({{"email", "u@x.io"}, {"password", "secret9"}}, f.At(0))
            .contains("access_token"));
  CHECK(Refusal([&] { f.admin.Get("nope", f.At(0)); }) == R{404, "validation_failed"});
  CHECK(Refusal([&] {
          f.admin.Update("0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10", json::object(), f.At(0));
        }) == R{404, "user_not_found"});
}

TEST_CASE("auth sessions: rate limits answer 429 and change nothing") {
  AuthOptions options = TestOptions();
  options.signin_failures_per_email = 2;    // one email from one address
  options.signin_failures_per_ip = 3;       // one address
  options.signin_failures_per_account = 4;  // one email from everywhere
  options.signups_per_ip = 3;
  options.refreshes_per_ip = 1;
  Fixture f(options);
  json s = f.SignUp("a@x.io");
  auto sign_in = [&](const char* email, const char* password, const char* ip) {
    return Refusal([&] {
      f.sessions.SignInWithPassword({{"email", email}, {"password", password}}, f.At(0, ip));
    });
  };
  CHECK(sign_in("a@x.io", "bad", "1.1.1.1") == R{400, "invalid_credentials"});
  CHECK(sign_in("A@x.io", "bad", "1.1.1.1") == R{400, "invalid_credentials"});
  CHECK(sign_in("a@x.io", "secret1", "1.1.1.1") == R{429, "over_request_rate_limit"});
  // The guesser's address is locked out of that email; the owner at another address is not.
  CHECK(sign_in("a@x.io", "secret1", "2.2.2.2") == R{0, ""});
  CHECK(sign_in("z@x.io", "bad", "1.1.1.1") == R{400, "invalid_credentials"});
  CHECK(sign_in("y@x.io", "bad", "1.1.1.1") == R{429, "over_request_rate_limit"});
  // Two more failures from a third address reach the per-email ceiling of 4: now everyone waits.
  CHECK(sign_in("a@x.io", "bad", "3.3.3.3") == R{400, "invalid_credentials"});
  CHECK(sign_in("a@x.io", "bad", "3.3.3.3") == R{400, "invalid_credentials"});
  CHECK(sign_in("a@x.io", "secret1", "9.9.9.9") == R{429, "over_request_rate_limit"});
  CHECK(f.Count("SELECT count(*) FROM auth_sessions") == 2);  // the sign-up's and 2.2.2.2's

  f.SignUp("b@x.io");
  f.SignUp("c@x.io");
  CHECK(Refusal([&] { f.SignUp("d@x.io"); }) == R{429, "over_request_rate_limit"});
  CHECK(f.Count("SELECT count(*) FROM auth_users") == 3);

  f.sessions.Refresh({{"refresh_token", s["refresh_token"]}}, f.At(0));
  CHECK(Refusal([&] {
          f.sessions.Refresh({{"refresh_token", "x"}}, f.At(0));
        }) == R{429, "over_request_rate_limit"});
  // A new window (5 minutes later) admits again.
  CHECK(Refusal([&] {
          f.sessions.Refresh({{"refresh_token", "x"}}, f.At(300 * kSecond));
        }) == R{400, "refresh_token_not_found"});
}

}  // namespace
}  // namespace ib::auth
