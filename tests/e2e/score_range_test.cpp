// Every score column (decimal(5,2) `*_score` of interview_sessions, interview_feedback and
// voice_analytics) holds 0..100: outside is 400 23514 naming the CHECK, on insert, PATCH, bulk
// insert and upsert, with nothing written; a value decimal(5,2) cannot hold is still 22003
// (conversion comes first). So nobody tops the public leaderboard with a score of 999.
#include <doctest/doctest.h>

#include "tests/e2e/support/server_process.h"

using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

struct Owner {
  ServerProcess server{{"--password-cost", "minimal"}};
  std::string uid = server.CreateUser("scores@example.com");
  std::string token = ServerProcess::Token("authenticated", uid);

  Reply As(const std::string& method, const std::string& path, const json& body,
           httplib::Headers h = {}) const {
    return server.Send(method, path, token, body.dump(), std::move(h));
  }
  std::string Insert(const std::string& table, const json& row) const {
    Reply r =
        As("POST", "/rest/v1/" + table + "?select=id", row, {{"Prefer", "return=representation"}});
    REQUIRE_MESSAGE(r.status == 201, r.body);
    return r.json()[0]["id"];
  }
  size_t Count(const std::string& table) const {
    return server
        .Send("GET", "/rest/v1/" + table + "?select=id", server.service_key(), "",
              {{"apikey", server.service_key()}})
        .json()
        .size();
  }
};

void CheckCode(const Reply& r, const std::string& code, const std::string& constraint = "") {
  CHECK(r.status == 400);
  CHECK(r.json()["code"] == code);
  if (!constraint.empty()) {
    CHECK(r.json()["message"].get<std::string>().find("\"" + constraint + "\"") !=
          std::string::npos);
  }
}

}  // namespace

TEST_CASE("scores: every score column holds 0..100 on insert, PATCH, bulk and upsert") {
  Owner o;
  const std::string session = o.Insert("interview_sessions", {{"user_id", o.uid}, {"title", "t"}});
  // Each table's score columns, and the other columns a row needs.
  const std::vector<std::pair<std::string, std::vector<std::string>>> tables = {
      {"interview_sessions",
       {"overall_score", "communication_score", "technical_score", "ai_accuracy_score"}},
      {"interview_feedback", {"overall_score"}},
      {"voice_analytics", {"clarity_score", "pace_score", "volume_score", "articulation_score"}},
  };
  auto base = [&](const std::string& table) {
    if (table == "interview_sessions") return json{{"user_id", o.uid}, {"title", "t"}};
    if (table == "interview_feedback") {
      return json{{"user_id", o.uid}, {"interview_id", session}, {"overall_score", 50}};
    }
    return json{{"interview_id", session}};
  };
  for (const auto& [table, columns] : tables) {
    for (const std::string& column : columns) {
      CAPTURE(table);
      CAPTURE(column);
      const std::string check = table + "_" + column + "_check";
      const std::string path = "/rest/v1/" + table;
      const size_t rows = o.Count(table);
      auto row = [&](const json& score) {
        json r = base(table);
        r[column] = score;
        return r;
      };
      // Insert: the bounds themselves are allowed (positive controls).
      const std::string id = o.Insert(table, row(100));
      o.Insert(table, row(0));
      CheckCode(o.As("POST", path, row(100.01)), "23514", check);
      CheckCode(o.As("POST", path, row(-1)), "23514", check);
      CheckCode(o.As("POST", path, row(-0.005)), "23514", check);  // rounds to -0.01
      CheckCode(o.As("POST", path, row(1000.5)), "22003");
      CHECK(o.Count(table) == rows + 2);

      // PATCH.
      const std::string one = path + "?id=eq." + id;
      CheckCode(o.As("PATCH", one, {{column, 100.01}}), "23514", check);
      CheckCode(o.As("PATCH", one, {{column, -1}}), "23514", check);
      CheckCode(o.As("PATCH", one, {{column, 1000.5}}), "22003");
      CHECK(o.As("PATCH", one, {{column, 99.99}}).status == 204);
      Reply stored = o.As("GET", one + "&select=" + column, json());
      CHECK(stored.json()[0][column] == 99.99);

      // Bulk: one bad row refuses the whole request.
      CheckCode(o.As("POST", path, json::array({row(10), row(101), row(20)})), "23514", check);
      CHECK(o.Count(table) == rows + 2);
      CHECK(o.As("POST", path, json::array({row(10), row(20)})).status == 201);
      CHECK(o.Count(table) == rows + 4);

      // Upsert onto the existing row.
      const httplib::Headers merge = {{"Prefer", "resolution=merge-duplicates"}};
      json existing = row(101);
      existing["id"] = id;
      CheckCode(o.As("POST", path, existing, merge), "23514", check);
      existing[column] = 100;
      CHECK(o.As("POST", path, existing, merge).status == 200);
      CHECK(o.Count(table) == rows + 4);
    }
  }
}

TEST_CASE("scores: the leaderboard cannot be topped with 999") {
  Owner o;
  const std::string honest = o.server.CreateUser("honest@example.com");
  const std::string honest_token = ServerProcess::Token("authenticated", honest);
  REQUIRE(o.server
              .Send("POST", "/rest/v1/interview_sessions", honest_token,
                    json({{"user_id", honest},
                          {"title", "real"},
                          {"status", "completed"},
                          {"overall_score", 90}})
                        .dump())
              .status == 201);
  auto board = [&] {
    return o.server
        .Send("GET", "/rest/v1/leaderboard?select=user_id,total_score,rank", o.server.anon_key())
        .json();
  };
  const json before = board();
  REQUIRE(before.size() == 1);
  CHECK(before[0]["user_id"] == honest);

  // Completing with 999 is refused; so is raising a completed session to 999 afterwards.
  CheckCode(
      o.As("POST", "/rest/v1/interview_sessions",
           {{"user_id", o.uid}, {"title", "x"}, {"status", "completed"}, {"overall_score", 999}}),
      "23514", "interview_sessions_overall_score_check");
  CHECK(board() == before);
  const std::string mine = o.Insert(
      "interview_sessions",
      {{"user_id", o.uid}, {"title", "y"}, {"status", "completed"}, {"overall_score", 80}});
  CheckCode(o.As("PATCH", "/rest/v1/interview_sessions?id=eq." + mine, {{"overall_score", 999}}),
            "23514", "interview_sessions_overall_score_check");
  const json after = board();
  REQUIRE(after.size() == 2);
  CHECK(after[0]["user_id"] == honest);  // 90 still beats the 80 that was allowed
  CHECK(after[0]["rank"] == 1);
  CHECK(after[1]["total_score"] == 80);
}
