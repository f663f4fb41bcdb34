// postgres_changes filters through the real binary: a binding whose filter cannot be served is
// refused in a `system` frame while its neighbours deliver (the same shapes, valid, as the
// positive control), and a served filter compares typed values, keeps NULL unmatched under
// `not.`, ANDs its conditions and sees only the key of a DELETE.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/e2e/support/server_process.h"
#include "tests/e2e/support/websocket_client.h"

namespace ib::e2e {
namespace {

using nlohmann::json;

json Binding(const std::string& filter, const std::string& event = "*") {
  return {
      {"event", event}, {"schema", "public"}, {"table", "practice_attempts"}, {"filter", filter}};
}

// Joins with `bindings` as `token` and returns the ids the reply gave them, in order.
std::vector<int64_t> JoinWith(WebSocketClient& ws, const json& bindings, const std::string& token) {
  ws.SendText(json::array({"1",
                           "1",
                           "realtime:filters",
                           "phx_join",
                           {{"config", {{"postgres_changes", bindings}}}, {"access_token", token}}})
                  .dump());
  const json reply = ws.ReadJson();
  REQUIRE(reply[4]["status"] == "ok");
  std::vector<int64_t> ids;
  for (const json& b : reply[4]["response"]["postgres_changes"]) ids.push_back(b["id"]);
  REQUIRE(ids.size() == bindings.size());
  return ids;
}

std::vector<int64_t> Sorted(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<int64_t> IdsOf(const json& frame) {
  std::vector<int64_t> ids;
  for (const json& id : frame[4]["ids"]) ids.push_back(id);
  return Sorted(ids);
}

std::string InList(int from, int to) {
  std::string list = "(";
  for (int i = from; i <= to; ++i) list += (i > from ? "," : "") + std::to_string(i);
  return list + ")";
}

TEST_CASE(
    "realtime: a filter that cannot be served is refused in a system frame, the rest deliver") {
  ServerProcess server;
  const std::string user = server.CreateUser("filters@example.com");
  const std::string token = ServerProcess::Token("authenticated", user);
  const json bindings = json::array({
      Binding("score=lt.100"),                             // served
      Binding("nope=eq.1"),                                // unknown column
      Binding("time_taken_seconds=in." + InList(1, 101)),  // 101 values
      Binding("user_id=eq.not-a-uuid"),                    // does not convert
      Binding("score=foo.1"),                              // unknown operator
      Binding("time_taken_seconds=in." + InList(1, 100)),  // 100 values: served
  });
  WebSocketClient ws(server.port(), "apikey=" + server.anon_key() + "&vsn=2.0.0");
  const std::vector<int64_t> ids = JoinWith(ws, bindings, token);
  CHECK(ws.ReadJson()[4]["message"] == "Subscribed to PostgreSQL");
  for (const char* message : {
           "invalid column for filter nope",
           "too many values for `in` filter. Maximum 100",
           "invalid value for filter user_id of type uuid",
           R"(Error parsing `filter` params: ["foo", "1"])",
       }) {
    const json frame = ws.ReadJson();
    CHECK(frame[3] == "system");
    CHECK(frame[4]["status"] == "error");
    CHECK(frame[4]["message"] == message);
  }
  // The served bindings deliver (90.5 < 100 as numbers, not as text); the refused ones do not.
  REQUIRE(server
              .Send("POST", "/rest/v1/practice_attempts", token,
                    json{{"user_id", user}, {"score", 90.5}, {"time_taken_seconds", 95}}.dump())
              .status == 201);
  const json change = ws.ReadJson();
  CHECK(change[3] == "postgres_changes");
  CHECK(IdsOf(change) == Sorted({ids[0], ids[5]}));
}

TEST_CASE(
    "realtime: filters compare typed values, keep NULL unmatched, AND, and see a DELETE's key") {
  ServerProcess server;
  const std::string user = server.CreateUser("typed@example.com");
  const std::string token = ServerProcess::Token("authenticated", user);
  const json bindings = json::array({
      Binding("score=lt.100"),
      Binding("feedback=not.eq.x"),  // feedback is NULL: never a match, even negated
      Binding("difficulty=in.(easy,medium),is_correct=is.true"),
      Binding("user_id=eq." + user),
      Binding("answer=ilike.*HASH*"),
      Binding("id=not.is.null", "DELETE"),
      Binding("difficulty=in.(easy,medium),is_correct=is.false"),
  });
  WebSocketClient ws(server.port(), "apikey=" + server.anon_key() + "&vsn=2.0.0");
  const std::vector<int64_t> ids = JoinWith(ws, bindings, token);
  CHECK(ws.ReadJson()[4]["message"] == "Subscribed to PostgreSQL");
  REQUIRE(server
              .Send("POST", "/rest/v1/practice_attempts", token,
                    json{{"user_id", user},
                         {"score", 90.5},
                         {"difficulty", "medium"},
                         {"is_correct", true},
                         {"answer", "use a hash map"}}
                        .dump())
              .status == 201);
  const json insert = ws.ReadJson();
  CHECK(insert[4]["data"]["type"] == "INSERT");
  CHECK(IdsOf(insert) == Sorted({ids[0], ids[2], ids[3], ids[4]}));
  // The DELETE's old record is the key alone: only the binding on the key hears it.
  REQUIRE(server.Send("DELETE", "/rest/v1/practice_attempts?user_id=eq." + user, token).status ==
          204);
  const json deleted = ws.ReadJson();
  CHECK(deleted[4]["data"]["type"] == "DELETE");
  CHECK(IdsOf(deleted) == std::vector<int64_t>{ids[5]});
  CHECK_FALSE(ws.Read(std::chrono::milliseconds(300)));
}

}  // namespace
}  // namespace ib::e2e
