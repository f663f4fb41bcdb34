// The access log and X-Request-Id on the real binary: a client's plain id is echoed, a missing
// one generated and a hostile one (spaces, quotes, too long) replaced, also on responses the
// connection layer writes itself; with --log-format json every request is one JSON line with
// its fields, and neither the password of a sign-in, nor its tokens, nor the keys, nor a query
// value ever reach the log.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/support/server_process.h"

namespace ib::e2e {
namespace {

using nlohmann::json;

const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

std::string ServerLog(const ServerProcess& s) {
  std::ifstream in(s.dir() + "/server.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The log once a line with `request_id` is in it (the line is written just after the response).
std::string LogWith(const ServerProcess& s, const std::string& request_id) {
  for (int i = 0; i < 200; ++i) {
    std::string log = ServerLog(s);
    if (log.find("\"request_id\":\"" + request_id + "\"") != std::string::npos) return log;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("no log line for request " << request_id << " in:\n" << ServerLog(s));
  return "";
}

// The access-log line (a JSON object) of `request_id`.
json LineOf(const std::string& log, const std::string& request_id) {
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    json j = json::parse(line);
    if (j.value("request_id", "") == request_id) return j;
  }
  return json();
}

}  // namespace

TEST_CASE("access log: X-Request-Id is echoed, generated, or replaced when hostile") {
  ServerProcess s({"--max-body-size", "100"});
  const Reply kept = s.Send("GET", "/rest/v1/interview_sessions", s.anon_key(), "",
                            {{"X-Request-Id", "client-id_1.2:3"}});
  CHECK(kept.status == 200);
  CHECK(kept.header("X-Request-Id") == "client-id_1.2:3");
  // Generated when absent, on a success and on an error alike, and new for each request.
  const Reply fresh = s.Send("GET", "/rest/v1/interview_sessions", s.anon_key());
  CHECK(std::regex_match(fresh.header("X-Request-Id"), kUuid));
  const Reply missing = s.Send("GET", "/no/such/route", "");
  CHECK(missing.status == 404);
  CHECK(std::regex_match(missing.header("X-Request-Id"), kUuid));
  CHECK(missing.header("X-Request-Id") != fresh.header("X-Request-Id"));
  // Hostile ids are replaced, never echoed.
  for (const std::string& hostile :
       {std::string("a b"), std::string("x\"y"), std::string("<script>"), std::string("a,b"),
        std::string(129, 'a')}) {
    CAPTURE(hostile);
    const Reply r =
        s.Send("GET", "/rest/v1/interview_sessions", s.anon_key(), "", {{"X-Request-Id", hostile}});
    CHECK(r.status == 200);
    CHECK(std::regex_match(r.header("X-Request-Id"), kUuid));
  }
  // The longest plain id is kept (the control for the 129-character one).
  const std::string longest(128, 'a');
  CHECK(s.Send("GET", "/health", "", "", {{"X-Request-Id", longest}}).header("X-Request-Id") ==
        longest);
  // A refusal the connection layer writes itself (a body over --max-body-size) echoes it too.
  const Reply refused = s.Send("POST", "/rest/v1/interview_sessions", s.anon_key(),
                               std::string(200, ' '), {{"X-Request-Id", "too-big-1"}});
  CHECK(refused.status == 413);
  CHECK(refused.header("X-Request-Id") == "too-big-1");
}

TEST_CASE("access log: JSON lines carry the fields and no secret") {
  ServerProcess s(FastPasswords({"--log-requests", "true", "--log-format", "json"}));
  const std::string password = "Pa55word-never-logged";
  const std::string uid = s.CreateUser("logged@example.com", password);
  const Reply signin =
      s.Send("POST", "/auth/v1/token?grant_type=password", s.anon_key(),
             json({{"email", "logged@example.com"}, {"password", password}}).dump(),
             {{"X-Request-Id", "signin-1"}});
  REQUIRE(signin.status == 200);
  const std::string access = signin.json()["access_token"];
  const std::string refresh = signin.json()["refresh_token"];
  const std::string query_value = "query-value-never-logged";
  const Reply read = s.Send("GET", "/rest/v1/interview_sessions?select=id&title=eq." + query_value,
                            access, "", {{"X-Request-Id", "read-1"}});
  REQUIRE(read.status == 200);
  REQUIRE(s.Send("GET", "/auth/v1/user", access, "", {{"X-Request-Id", "user-1"}}).status == 200);
  CHECK(s.Send("GET", "/rest/v1/interview_sessions", "not-a-token", "",
               {{"X-Request-Id", "bad-token-1"}})
            .status == 401);

  // Lines of requests made one after another may land out of order (each is written by its
  // worker once the response is out): wait for each.
  for (const char* id : {"signin-1", "read-1", "user-1"}) LogWith(s, id);
  const std::string log = LogWith(s, "bad-token-1");
  INFO(log);
  const json line = LineOf(log, "read-1");
  REQUIRE(line.is_object());
  CHECK(line["method"] == "GET");
  CHECK(line["service"] == "rest");
  CHECK(line["route"] == "/rest/v1/{}");
  CHECK(line["status"] == 200);
  CHECK(line["bytes"].get<long long>() >= static_cast<long long>(read.body.size()));
  CHECK(line["duration_ms"].is_number());
  CHECK(line["role"] == "authenticated");
  CHECK(std::regex_match(line["time"].get<std::string>(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  const json signin_line = LineOf(log, "signin-1");
  REQUIRE(signin_line.is_object());
  CHECK(signin_line["route"] == "/auth/v1/token");
  CHECK(signin_line["status"] == 200);
  CHECK(LineOf(log, "bad-token-1")["status"] == 401);
  // The user id is who asked, not a secret: routes that know it log it.
  const json user_line = LineOf(log, "user-1");
  CHECK(user_line["route"] == "/auth/v1/user");
  CHECK(user_line["role"] == "authenticated");
  CHECK(user_line["user_id"] == uid);

  // Every line of the access log is JSON (the start-up line is the only other one).
  std::istringstream lines(log);
  std::string each;
  int json_lines = 0;
  while (std::getline(lines, each)) {
    if (each.rfind("interviewbase ", 0) == 0) continue;
    CAPTURE(each);
    CHECK(json::accept(each));
    ++json_lines;
  }
  CHECK(json_lines >= 4);

  for (const std::string& secret : {password, access, refresh, s.anon_key(), s.service_key(),
                                    query_value, std::string("not-a-token")}) {
    CAPTURE(secret);
    CHECK(log.find(secret) == std::string::npos);
  }
}

TEST_CASE("access log: the text format is one line per request, off with --log-requests false") {
  ServerProcess on({"--log-requests", "true"});
  CHECK(on.Send("GET", "/health", "", "", {{"X-Request-Id", "text-1"}}).status == 200);
  std::string log;
  for (int i = 0; i < 200 && log.find("text-1") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    log = ServerLog(on);
  }
  CHECK(std::regex_search(log, std::regex(R"(Z text-1 GET /health 200 \d+B \d+\.\d{3}ms -\n)")));

  ServerProcess off;  // the harness's default: --log-requests false
  CHECK(off.Send("GET", "/health", "", "", {{"X-Request-Id", "quiet-1"}}).status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(ServerLog(off).find("quiet-1") == std::string::npos);
}

}  // namespace ib::e2e
