// The helper functions over /rest/v1/rpc (docs/hooks.md, docs/wire.md): both verbs,
// defaults, unknown names, argument types, the caller guard, and table operators on results.
#include <doctest/doctest.h>

#include "tests/e2e/support/gamification_model.h"
#include "tests/e2e/support/server_process.h"

using ib::e2e::AsService;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

struct RpcWorld {
  ServerProcess server{{"--password-cost", "minimal"}};
  std::string a, b, ta, tb;

  RpcWorld() {
    a = ib::e2e::NewUser(server, "ann@example.com", "Ann");
    b = ib::e2e::NewUser(server, "ben@example.com", "Ben");
    ta = ServerProcess::Token("authenticated", a);
    tb = ServerProcess::Token("authenticated", b);
    // Ann: 12 sessions, created one second apart, every third completed with a score.
    for (int i = 0; i < 12; ++i) {
      char created[40];
      std::snprintf(created, sizeof created, "2024-05-01T10:00:%02dZ", i);
      json fields = {{"created_at", created}, {"title", "s" + std::to_string(i)}};
      if (i % 3 == 0) {
        fields["status"] = "completed";
        fields["overall_score"] = 70 + i;
      }
      ib::e2e::NewSession(server, ta, a, fields);
    }
    ib::e2e::NewSession(server, tb, b, {{"status", "completed"}, {"overall_score", 99}});
  }
  Reply Get(const std::string& token, const std::string& path) const {
    return server.Send("GET", path, token);
  }
  Reply Post(const std::string& token, const std::string& fn, const json& args,
             httplib::Headers h = {}) const {
    return server.Send("POST", "/rest/v1/rpc/" + fn, token, args.dump(), h);
  }
};

TEST_CASE("rpc: GET and POST give the same rows - p_limit defaults to 10") {
  RpcWorld w;
  Reply post = w.Post(w.ta, "get_user_interview_stats", {{"p_user_id", w.a}});
  Reply get = w.Get(w.ta, "/rest/v1/rpc/get_user_interview_stats?p_user_id=" + w.a);
  REQUIRE(post.status == 200);
  REQUIRE(get.status == 200);
  CHECK(post.json() == get.json());
  // 70 + 73 + 76 + 79 = 298 over 4: Postgres' avg text, 16 decimals.
  CHECK(post.body.find("\"average_score\":74.5000000000000000") != std::string::npos);
  CHECK(post.json()[0]["total_interviews"] == 12);
  CHECK(post.json()[0]["completed_interviews"] == 4);
  CHECK(post.json()[0]["total_duration_minutes"].is_null());
  CHECK(post.json()[0]["last_interview_date"] == "2024-05-01T10:00:11.000000+00:00");

  Reply defaulted = w.Post(w.ta, "get_recent_interviews_with_feedback", {{"p_user_id", w.a}});
  REQUIRE(defaulted.status == 200);
  CHECK(defaulted.json().size() == 10);
  CHECK(defaulted.json()[0]["title"] == "s11");
  CHECK(w.Get(w.ta,
              "/rest/v1/rpc/get_recent_interviews_with_feedback?p_user_id=" + w.a + "&p_limit=3")
            .json()
            .size() == 3);
  CHECK(w.Post(w.ta, "get_recent_interviews_with_feedback", {{"p_user_id", w.a}, {"p_limit", 20}})
            .json()
            .size() == 12);
  // A user without sessions: one row of zeros and nulls.
  Reply empty = w.Post(w.server.service_key(), "get_user_interview_stats",
                       {{"p_user_id", "00000000-0000-4000-8000-000000000009"}});
  CHECK(empty.json() == json::parse(R"([{"total_interviews":0,"completed_interviews":0,
      "average_score":null,"total_duration_minutes":null,"last_interview_date":null}])"));
}

TEST_CASE("rpc: unknown functions and arguments are 404 PGRST202") {
  RpcWorld w;
  Reply fn = w.Post(w.ta, "get_user_interview_statz", {{"p_user_id", w.a}});
  CHECK(fn.status == 404);
  CHECK(fn.json()["code"] == "PGRST202");
  CHECK(fn.json()["message"] ==
        "Could not find the function public.get_user_interview_statz(p_user_id) in the schema "
        "cache");
  Reply arg = w.Post(w.ta, "get_user_interview_stats", {{"user_id", w.a}});
  CHECK(arg.status == 404);
  CHECK(arg.json()["code"] == "PGRST202");
  CHECK(arg.json()["hint"] ==
        "Perhaps you meant to call the function public.get_user_interview_stats(p_user_id)");
  Reply cased = w.Post(w.ta, "Get_Leaderboard", json::object());
  CHECK(cased.status == 404);
}

TEST_CASE("rpc: a wrong argument type is 400 with the Postgres SQLSTATE") {
  RpcWorld w;
  Reply limit = w.Get(
      w.ta, "/rest/v1/rpc/get_recent_interviews_with_feedback?p_user_id=" + w.a + "&p_limit=ten");
  CHECK(limit.status == 400);
  CHECK(limit.json()["code"] == "22P02");
  Reply uuid = w.Post(w.ta, "get_user_interview_stats", {{"p_user_id", "not-a-uuid"}});
  CHECK(uuid.status == 400);
  CHECK(uuid.json()["code"] == "22P02");
  Reply negative = w.Post(w.ta, "get_leaderboard", {{"p_limit", -1}});
  CHECK(negative.status == 400);
  CHECK(negative.json()["code"] == "2201W");
}

TEST_CASE("rpc: callers — own id only, anon only for get_leaderboard, refresh for the service") {
  RpcWorld w;
  Reply theirs = w.Post(w.ta, "get_user_interview_stats", {{"p_user_id", w.b}});
  CHECK(theirs.status == 403);
  CHECK(theirs.json()["code"] == "42501");
  CHECK(w.Get(w.ta, "/rest/v1/rpc/get_recent_interviews_with_feedback?p_user_id=" + w.b).status ==
        403);
  Reply anon = w.Post(w.server.anon_key(), "get_user_interview_stats", {{"p_user_id", w.a}});
  CHECK(anon.status == 401);
  CHECK(anon.json()["code"] == "42501");
  CHECK(w.Post(w.server.anon_key(), "get_recent_interviews_with_feedback", {{"p_user_id", w.a}})
            .status == 401);
  CHECK(w.Post(w.server.service_key(), "get_user_interview_stats", {{"p_user_id", w.b}}).status ==
        200);

  Reply board = w.Get(w.server.anon_key(), "/rest/v1/rpc/get_leaderboard");
  REQUIRE(board.status == 200);
  REQUIRE(board.json().size() == 2);
  CHECK(board.json()[0]["user_id"] == w.a);  // 70 + 73 + 76 + 79 = 298 beats 99
  CHECK(board.json()[0]["rank"] == 1);

  CHECK(w.Post(w.server.anon_key(), "refresh_leaderboard", json::object()).status == 401);
  CHECK(w.Post(w.ta, "refresh_leaderboard", json::object()).status == 403);
  Reply refreshed = w.Post(w.server.service_key(), "refresh_leaderboard", json::object());
  CHECK(refreshed.status == 204);
  CHECK(refreshed.body.empty());
}

TEST_CASE("rpc: filters, order, limit, select and count apply to set results") {
  RpcWorld w;
  const std::string base = "/rest/v1/rpc/get_recent_interviews_with_feedback?p_user_id=" + w.a;
  Reply filtered =
      w.server.Send("GET",
                    base +
                        "&p_limit=20&status=eq.completed&order=overall_score.desc&limit=2"
                        "&select=title,overall_score",
                    w.ta, "", {{"Prefer", "count=exact"}});
  REQUIRE_MESSAGE(filtered.status == 206, filtered.body);  // a counted partial range
  CHECK(filtered.json() == json::parse(R"([{"title":"s9","overall_score":79.00},
                                           {"title":"s6","overall_score":76.00}])"));
  CHECK(filtered.header("Content-Range") == "0-1/4");
  Reply posted = w.server.Send("POST",
                               "/rest/v1/rpc/get_recent_interviews_with_feedback?select=title"
                               "&overall_score=gte.76&order=title",
                               w.ta, json({{"p_user_id", w.a}}).dump());
  CHECK(posted.json() == json::parse(R"([{"title":"s6"},{"title":"s9"}])"));
  Reply one =
      w.server.Send("GET", "/rest/v1/rpc/get_leaderboard?select=user_id,rank&rank=eq.1",
                    w.server.anon_key(), "", {{"Accept", "application/vnd.pgrst.object+json"}});
  REQUIRE(one.status == 200);
  CHECK(one.json()["rank"] == 1);
}

}  // namespace
