// CORS end to end: the default * answers every origin; --cors-origins narrows it to a list
// (echoed origin, Vary: Origin, no Access-Control-Allow-Origin for any other); preflights of
// every service, with Access-Control-Request-Headers, allowed or not.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/e2e/support/server_process.h"
#include "tests/e2e/support/wire_connection.h"

namespace {

using ib::e2e::Reply;
using ib::e2e::ServerProcess;

constexpr const char* kAllowed = "https://app.example.com";
constexpr const char* kOther = "http://localhost:3000";
constexpr const char* kRefused = "https://evil.example.com";
constexpr const char* kRequestedHeaders = "authorization, x-client-info, apikey, content-type";

// One path per service a browser app calls, functions-style paths included.
const std::vector<std::string>& ServicePaths() {
  static const std::vector<std::string> kPaths = {
      "/rest/v1/interview_sessions?select=id",
      "/rest/v1/rpc/get_user_interview_stats",
      "/auth/v1/token?grant_type=password",
      "/auth/v1/user",
      "/storage/v1/object/interview-audio/u/a.wav",
      "/functions/v1/hello",
      "/realtime/v1/api/broadcast",
  };
  return kPaths;
}

Reply Preflight(const ServerProcess& server, const std::string& path, const std::string& origin) {
  return server.Send("OPTIONS", path, "", "",
                     {{"Origin", origin},
                      {"Access-Control-Request-Method", "POST"},
                      {"Access-Control-Request-Headers", kRequestedHeaders}});
}

Reply GetFrom(const ServerProcess& server, const std::string& origin) {
  httplib::Headers headers = {{"apikey", server.anon_key()}};
  if (!origin.empty()) headers.emplace("Origin", origin);
  return server.Send("GET", "/rest/v1/interview_sessions?select=id", "", "", headers);
}

}  // namespace

TEST_CASE("cors: the default * allows every origin and answers every service's preflight") {
  ServerProcess server;
  auto get = GetFrom(server, kRefused);
  CHECK(get.status == 200);
  CHECK(get.header("Access-Control-Allow-Origin") == "*");
  CHECK(get.header("Access-Control-Expose-Headers").find("Content-Range") != std::string::npos);
  // A browser app can read the id its call was logged under.
  CHECK(get.header("Access-Control-Expose-Headers").find("X-Request-Id") != std::string::npos);
  CHECK_FALSE(get.header("X-Request-Id").empty());
  CHECK(get.header("Vary").empty());
  for (const auto& path : ServicePaths()) {
    CAPTURE(path);
    auto pre = Preflight(server, path, kRefused);
    CHECK(pre.status == 204);
    CHECK(pre.header("Access-Control-Allow-Origin") == "*");
    CHECK(pre.header("Access-Control-Allow-Methods").find("POST") != std::string::npos);
    CHECK(pre.header("Access-Control-Allow-Headers") == kRequestedHeaders);
    CHECK(pre.header("Access-Control-Max-Age") == "86400");
  }
}

TEST_CASE("cors: --cors-origins echoes a listed origin and gives no allow header to others") {
  ServerProcess server({"--cors-origins", std::string(kAllowed) + ", " + kOther});
  for (const char* origin : {kAllowed, kOther}) {
    CAPTURE(origin);
    auto allowed = GetFrom(server, origin);
    CHECK(allowed.status == 200);
    CHECK(allowed.header("Access-Control-Allow-Origin") == origin);
    CHECK(allowed.header("Vary") == "Origin");
    CHECK(allowed.header("Access-Control-Expose-Headers").find("Content-Range") !=
          std::string::npos);
  }
  // The request is still served (CORS is the browser's check), but nothing allows the origin.
  auto refused = GetFrom(server, kRefused);
  CHECK(refused.status == 200);
  CHECK_FALSE(refused.headers.count("Access-Control-Allow-Origin"));
  CHECK_FALSE(refused.headers.count("Access-Control-Expose-Headers"));
  CHECK(refused.header("Vary") == "Origin");
  // A near miss is not a match: origins compare exactly.
  for (const std::string& near : {std::string(kAllowed) + "/", std::string(kAllowed) + ".evil.io",
                                  std::string("http://app.example.com")}) {
    CAPTURE(near);
    CHECK_FALSE(GetFrom(server, near).headers.count("Access-Control-Allow-Origin"));
  }
  auto no_origin = GetFrom(server, "");
  CHECK(no_origin.status == 200);
  CHECK_FALSE(no_origin.headers.count("Access-Control-Allow-Origin"));
}

TEST_CASE("cors: with a list, preflights of every service answer only the listed origins") {
  ServerProcess server({"--cors-origins", kAllowed});
  for (const auto& path : ServicePaths()) {
    CAPTURE(path);
    auto allowed = Preflight(server, path, kAllowed);
    CHECK(allowed.status == 204);
    CHECK(allowed.header("Access-Control-Allow-Origin") == kAllowed);
    CHECK(allowed.header("Access-Control-Allow-Methods").find("POST") != std::string::npos);
    CHECK(allowed.header("Access-Control-Allow-Headers") == kRequestedHeaders);
    CHECK(allowed.header("Vary") == "Origin");
    auto refused = Preflight(server, path, kRefused);
    CHECK(refused.status == 204);
    CHECK_FALSE(refused.headers.count("Access-Control-Allow-Origin"));
    CHECK_FALSE(refused.headers.count("Access-Control-Allow-Methods"));
    CHECK_FALSE(refused.headers.count("Access-Control-Allow-Headers"));
  }
}

TEST_CASE("cors: answers the connection layer writes itself follow the list too") {
  ServerProcess server({"--cors-origins", kAllowed, "--max-body-size", "100"});
  for (const auto& [origin, allowed] :
       std::vector<std::pair<std::string, bool>>{{kAllowed, true}, {kRefused, false}}) {
    CAPTURE(origin);
    ib::e2e::WireConnection conn(server.port());
    // Refused for its declared size (413) before the body is read.
    conn.Send("POST /rest/v1/interviews HTTP/1.1\r\nHost: x\r\nOrigin: " + origin +
              "\r\nContent-Length: 1000\r\n\r\n");
    auto res = conn.ReadResponse();
    REQUIRE(res);
    CHECK(res->status == 413);
    CHECK(res->header("access-control-allow-origin") == (allowed ? origin : ""));
    CHECK(res->header("vary") == "Origin");
  }
}

TEST_CASE("cors: an answer httplib gives before routing still carries the allowed origin") {
  ServerProcess server({"--cors-origins", kAllowed});
  // A byte range httplib cannot read: it answers 416 itself, before any handler runs.
  auto unsatisfiable = server.Send("GET", "/storage/v1/object/public/interview-audio/a.wav", "", "",
                                   {{"Origin", kAllowed}, {"Range", "bytes=x-y"}});
  CHECK(unsatisfiable.status == 416);
  CHECK(unsatisfiable.header("Access-Control-Allow-Origin") == kAllowed);
  CHECK(unsatisfiable.header("Vary") == "Origin");
}
