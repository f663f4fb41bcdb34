#include "server/http/access_record.h"

#include <doctest/doctest.h>

#include <regex>
#include <string>

using ib::http::MethodLabel;
using ib::http::RoutePattern;
using ib::http::ServiceOf;

namespace {

std::string PatternOf(const char* route, const std::string& path) {
  std::smatch matches;
  REQUIRE(std::regex_match(path, matches, std::regex(route)));
  return RoutePattern(path, matches);
}

}  // namespace

TEST_CASE("access record: the route pattern replaces every captured part of the path") {
  CHECK(PatternOf(R"(/rest/v1/([^/]+))", "/rest/v1/interviews") == "/rest/v1/{}");
  CHECK(PatternOf(R"(/rest/v1/rpc/([^/]+))", "/rest/v1/rpc/get_stats") == "/rest/v1/rpc/{}");
  CHECK(PatternOf(R"(/storage/v1/object/([^/]+)/(.+))",
                  "/storage/v1/object/interview-audio/u1/secret name.wav") ==
        "/storage/v1/object/{}/{}");
  CHECK(PatternOf("/auth/v1/token", "/auth/v1/token") == "/auth/v1/token");
  // An optional group that matched nothing, one that matched, and nested groups.
  CHECK(PatternOf(R"(/auth/v1(/.*)?)", "/auth/v1") == "/auth/v1");
  CHECK(PatternOf(R"(/auth/v1(/.*)?)", "/auth/v1/anything/at/all") == "/auth/v1{}");
  CHECK(PatternOf(R"(/a/((b)(c))/d)", "/a/bc/d") == "/a/{}/d");
}

TEST_CASE("access record: services and methods come from fixed sets") {
  CHECK(ServiceOf("/rest/v1/interviews") == "rest");
  CHECK(ServiceOf("/rest/v1") == "rest");
  CHECK(ServiceOf("/rest/v10") == "other");
  CHECK(ServiceOf("/auth/v1/token") == "auth");
  CHECK(ServiceOf("/storage/v1/object/x") == "storage");
  CHECK(ServiceOf("/realtime/v1/websocket") == "realtime");
  CHECK(ServiceOf("/admin/v1/reset") == "admin");
  CHECK(ServiceOf("/metrics") == "metrics");
  CHECK(ServiceOf("/health") == "health");
  CHECK(ServiceOf("/") == "other");
  CHECK(ServiceOf("/whatever/rest/v1") == "other");
  CHECK(MethodLabel("GET") == "GET");
  CHECK(MethodLabel("DELETE") == "DELETE");
  CHECK(MethodLabel("PROPFIND") == "other");
  CHECK(MethodLabel("get") == "other");
}
