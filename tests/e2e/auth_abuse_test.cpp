// /auth/v1 (and Storage's JSON bodies) against hostile clients, on the real binary: documents
// nested 200,000 deep, oversized metadata and emails, password guessing from one address
// while the owner signs in from another, a replayed refresh token, and error bodies carrying
// quotes, backslashes and control bytes. Each refusal beside the allowed request it borders.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/support/raw_http.h"
#include "tests/e2e/support/server_process.h"

namespace ib::e2e {
namespace {

using nlohmann::json;

// {"a":{"a":...1...}} nested `depth` objects deep, as text (a tree that deep cannot be built
// here either).
std::string DeepObject(int depth) {
  std::string out;
  out.reserve(static_cast<size_t>(depth) * 6 + 1);
  for (int i = 0; i < depth; ++i) out += R"({"a":)";
  out += "1";
  out.append(static_cast<size_t>(depth), '}');
  return out;
}

std::string SignUpBody(const std::string& email, const std::string& data) {
  return R"({"email":")" + email + R"(","password":"secret1","data":)" + data + "}";
}

Reply SignUp(const ServerProcess& s, const std::string& email) {
  return s.Send("POST", "/auth/v1/signup", s.anon_key(), SignUpBody(email, "{}"));
}

std::string PasswordBody(const std::string& email, const std::string& password) {
  return json({{"email", email}, {"password", password}}).dump();
}

Reply SignIn(const ServerProcess& s, const std::string& email, const std::string& password) {
  return s.Send("POST", "/auth/v1/token?grant_type=password", s.anon_key(),
                PasswordBody(email, password));
}

// A password sign-in sent from `source_ip` (a loopback address of its own).
Reply SignInFrom(const ServerProcess& s, const std::string& source_ip, const std::string& email,
                 const std::string& password) {
  return SendFrom(source_ip, s.port(), "POST", "/auth/v1/token?grant_type=password",
                  {{"apikey", s.anon_key()}}, PasswordBody(email, password));
}

Reply Refresh(const ServerProcess& s, const std::string& token) {
  return s.Send("POST", "/auth/v1/token?grant_type=refresh_token", s.anon_key(),
                json({{"refresh_token", token}}).dump());
}

// The body must be JSON (parsed strictly) with this GoTrue code.
void CheckAuthError(const Reply& r, int status, const std::string& code) {
  CHECK(r.status == status);
  json body = json::parse(r.body, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body["code"] == code);
}

TEST_CASE("e2e auth abuse: a document nested 200,000 deep is refused 400 on every auth input") {
  ServerProcess s(FastPasswords());
  const std::string deep = DeepObject(200'000);
  const std::string user = SignUp(s, "a@x.io").json()["access_token"];
  const std::string id = s.CreateUser("b@x.io");
  const std::string admin_users = "/auth/v1/admin/users";

  CheckAuthError(s.Send("POST", "/auth/v1/signup", s.anon_key(), SignUpBody("deep@x.io", deep)),
                 400, "bad_json");
  CheckAuthError(s.Send("PUT", "/auth/v1/user", user, R"({"data":)" + deep + "}"), 400, "bad_json");
  CheckAuthError(s.Send("POST", admin_users, s.service_key(),
                        R"({"email":"c@x.io","user_metadata":)" + deep + "}"),
                 400, "bad_json");
  CheckAuthError(
      s.Send("PUT", admin_users + "/" + id, s.service_key(), R"({"app_metadata":)" + deep + "}"),
      400, "bad_json");
  CheckAuthError(s.Send("POST", "/auth/v1/token?grant_type=password", s.anon_key(), deep), 400,
                 "bad_json");
  CHECK(s.Send("GET", "/auth/v1/admin/users", s.service_key()).header("X-Total-Count") == "2");

  // Positive control: 100 levels are fine and come back as sent.
  const std::string nested = DeepObject(100);
  Reply ok = s.Send("POST", "/auth/v1/signup", s.anon_key(), SignUpBody("nested@x.io", nested));
  REQUIRE(ok.status == 200);
  CHECK(ok.json()["user"]["user_metadata"] == json::parse(nested));
  Reply put = s.Send("PUT", "/auth/v1/user", user, R"({"data":{"n":)" + nested + "}}");
  REQUIRE(put.status == 200);
  CHECK(put.json()["user_metadata"]["n"] == json::parse(nested));
}

TEST_CASE("e2e auth abuse: a token whose claims nest past 512 levels is refused 401") {
  ServerProcess s(FastPasswords());
  const std::string uid = s.CreateUser("deep-token@x.io");
  auto read_as = [&](const json& extra) {
    return s.Send("GET", "/rest/v1/profiles?select=id",
                  ServerProcess::Token("authenticated", uid, 3600, extra));
  };
  // The payload object is one level: {"x":[[...]]} with 511 arrays is 512 in all.
  const json within = {{"x", json::parse(Repeat("[", 511) + Repeat("]", 511))}};
  const json over = {{"x", json::parse(Repeat("[", 512) + Repeat("]", 512))}};
  Reply refused = read_as(over);
  CHECK(refused.status == 401);
  CHECK(refused.json()["code"] == "PGRST301");
  Reply ok = read_as(within);
  CAPTURE(ok.body.substr(0, 300));
  CHECK(ok.status == 200);
}

TEST_CASE("e2e auth abuse: metadata is bounded in size, below the bound it is stored") {
  ServerProcess s(FastPasswords());
  const std::string user = SignUp(s, "a@x.io").json()["access_token"];
  const json big = {{"bio", std::string(5000, 'x')}};
  const json fits = {{"bio", std::string(3000, 'x')}};
  CheckAuthError(
      s.Send("POST", "/auth/v1/signup", s.anon_key(), SignUpBody("big@x.io", big.dump())), 400,
      "validation_failed");
  CheckAuthError(s.Send("PUT", "/auth/v1/user", user, json({{"data", big}}).dump()), 400,
                 "validation_failed");
  CheckAuthError(s.Send("POST", "/auth/v1/admin/users", s.service_key(),
                        json({{"email", "c@x.io"}, {"app_metadata", big}}).dump()),
                 400, "validation_failed");
  // Positive control: 3,000 bytes are stored, and the access token then still fits a header.
  Reply ok = s.Send("PUT", "/auth/v1/user", user, json({{"data", fits}}).dump());
  REQUIRE(ok.status == 200);
  CHECK(ok.json()["user_metadata"]["bio"] == fits["bio"]);
  Reply signed_in = SignIn(s, "a@x.io", "secret1");
  REQUIRE(signed_in.status == 200);
  const std::string token = signed_in.json()["access_token"];
  CHECK(s.Send("GET", "/auth/v1/user", token).json()["user_metadata"]["bio"] == fits["bio"]);
}

TEST_CASE("e2e auth abuse: a 200,000 deep document is refused on Storage's JSON bodies too") {
  ServerProcess s(FastPasswords());
  const std::string deep = DeepObject(200'000);
  for (const char* path : {"/storage/v1/bucket", "/storage/v1/object/move",
                           "/storage/v1/object/copy", "/storage/v1/object/sign/b/k"}) {
    CAPTURE(path);
    Reply r = s.Send("POST", path, s.service_key(), deep);
    CHECK(r.status == 400);
    json body = json::parse(r.body, nullptr, false);
    REQUIRE(body.is_object());
    CHECK(body["message"] == "The input is nested more than 512 levels deep.");
  }
  // Positive control: the same route with a flat body still works.
  CHECK(s.Send("POST", "/storage/v1/bucket", s.service_key(), R"({"id":"b","name":"b"})").status ==
        200);
}

TEST_CASE("e2e auth abuse: emails over 255 bytes are refused at once, 255 bytes are fine") {
  ServerProcess s(FastPasswords());
  REQUIRE(SignUp(s, "a@x.io").status == 200);
  const std::string huge = std::string(1 << 20, 'a') + "@x.io";  // 1 MiB
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) CheckAuthError(SignIn(s, huge, "wrong"), 400, "validation_failed");
  CheckAuthError(SignUp(s, huge), 400, "validation_failed");
  // A loose bound (the sanitizer builds run this too): 21 MiB of refused emails, not minutes.
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(90));

  const std::string longest = std::string(255 - 5, 'b') + "@x.io";
  CheckAuthError(SignUp(s, "b" + longest), 400, "validation_failed");
  // Positive controls: a 255-byte address signs up and in; the ordinary account still works.
  REQUIRE(SignUp(s, longest).status == 200);
  CHECK(SignIn(s, longest, "secret1").status == 200);
  CHECK(SignIn(s, "a@x.io", "secret1").status == 200);
}

TEST_CASE("e2e auth abuse: guesses from one address never lock the owner out at another") {
  ServerProcess s(
      FastPasswords({"--signin-failures-per-email", "3", "--signin-failures-per-account", "5"}));
  REQUIRE(SignUp(s, "victim@x.io").status == 200);
  for (int i = 0; i < 3; ++i) {
    CheckAuthError(SignInFrom(s, "127.0.0.2", "victim@x.io", "guess"), 400, "invalid_credentials");
  }
  // The guessing address is refused, even with the right password...
  CheckAuthError(SignInFrom(s, "127.0.0.2", "victim@x.io", "secret1"), 429,
                 "over_request_rate_limit");
  // ...while the owner, at another address, signs in.
  Reply owner = SignInFrom(s, "127.0.0.1", "victim@x.io", "secret1");
  CHECK(owner.status == 200);
  CHECK(json::parse(owner.body, nullptr, false)["user"]["email"] == "victim@x.io");

  // The per-email ceiling (5 from all addresses together) still stops a spread-out attack.
  for (int i = 0; i < 2; ++i) {
    CheckAuthError(SignInFrom(s, "127.0.0.3", "victim@x.io", "guess"), 400, "invalid_credentials");
  }
  CheckAuthError(SignInFrom(s, "127.0.0.1", "victim@x.io", "secret1"), 429,
                 "over_request_rate_limit");
}

TEST_CASE("e2e auth abuse: a reused refresh token ends its whole session, at once") {
  ServerProcess s(FastPasswords({"--refresh-reuse-interval", "1"}));
  json first = SignUp(s, "a@x.io").json();
  json other = SignIn(s, "a@x.io", "secret1").json();  // a second session of the same user
  const std::string r0 = first["refresh_token"];
  const std::string r1 = Refresh(s, r0).json()["refresh_token"];
  Reply second = Refresh(s, r1);
  REQUIRE(second.status == 200);
  const std::string r2 = second.json()["refresh_token"];
  const std::string access = second.json()["access_token"];
  CHECK(s.Send("GET", "/auth/v1/user", access).status == 200);

  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // past the reuse interval
  CheckAuthError(Refresh(s, r0), 400, "refresh_token_already_used");
  // The session is gone: its active token fails at once (not only after the interval), and
  // its access token no longer names a session.
  CheckAuthError(Refresh(s, r2), 400, "refresh_token_not_found");
  CheckAuthError(s.Send("GET", "/auth/v1/user", access), 403, "session_not_found");
  // Positive control: the user's other session lives on.
  Reply kept = Refresh(s, other["refresh_token"]);
  CHECK(kept.status == 200);
  CHECK(s.Send("GET", "/auth/v1/user", kept.json()["access_token"]).status == 200);
}

TEST_CASE("e2e auth abuse: error bodies are JSON whatever text they carry") {
  ServerProcess s(FastPasswords());
  const std::string id = s.CreateUser("a@x.io");
  const std::string hostile = "q\"uote b\\ack\nnew\x01line}";
  Reply r = s.Send("PUT", "/auth/v1/admin/users/" + id, s.service_key(),
                   json({{"role", hostile}}).dump());
  CheckAuthError(r, 400, "validation_failed");
  json body = json::parse(r.body, nullptr, false);
  CHECK(body["message"] == "Invalid role \"" + hostile + "\"");
  // Positive control: a valid role is applied.
  CHECK(s.Send("PUT", "/auth/v1/admin/users/" + id, s.service_key(), R"({"role":"anon"})")
            .json()["role"] == "anon");
}

}  // namespace
}  // namespace ib::e2e
