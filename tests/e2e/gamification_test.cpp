// One user's whole journey over HTTP (docs/hooks.md: hooks 3-6 and the RPCs): create the user,
// run three interviews (responses, voice analytics, completion with a score, feedback), then
// read profile, streak, achievements, leaderboard and the RPCs and compare each value with
// what the rules give. Then the RPC edge cases and the admin reset.
#include <doctest/doctest.h>

#include <ctime>

#include "tests/e2e/support/gamification_model.h"
#include "tests/e2e/support/server_process.h"

using ib::e2e::AsService;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

// "YYYY-MM-DD" shifted by `days`, through the C library's UTC calendar.
std::string ShiftDay(const std::string& day, int days) {
  std::tm tm{};
  tm.tm_year = std::stoi(day.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(day.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(day.substr(8, 2)) + days;
  tm.tm_hour = 12;
  const std::time_t t = timegm(&tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", gmtime_r(&t, &tm));
  return buf;
}

struct Journey {
  ServerProcess server{{"--password-cost", "minimal"}};
  std::string uid, token;

  Journey() {
    uid = ib::e2e::NewUser(server, "journey@example.com", "Jo Urney");
    token = ServerProcess::Token("authenticated", uid);
  }
  Reply As(const std::string& method, const std::string& path, const json& body = nullptr,
           httplib::Headers h = {}) const {
    return server.Send(method, path, token, body.is_null() ? "" : body.dump(), h);
  }
  json One(const std::string& path) const {
    Reply r = As("GET", path, nullptr, {{"Accept", "application/vnd.pgrst.object+json"}});
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return r.json();
  }
  // A voice or text interview: session, two responses, analytics, completion, feedback.
  json Interview(const std::string& type, const json& completion) {
    const std::string id = ib::e2e::NewSession(
        server, token, uid, {{"interview_type", type}, {"status", "in_progress"}});
    // PostgREST bulk inserts need the same keys in every object.
    json turns = json::array({{{"interview_id", id},
                               {"role", "assistant"},
                               {"content", "Tell me about yourself."},
                               {"sequence_number", 1},
                               {"confidence", nullptr}},
                              {{"interview_id", id},
                               {"role", "user"},
                               {"content", "I build databases."},
                               {"sequence_number", 2},
                               {"confidence", 0.87}}});
    REQUIRE(As("POST", "/rest/v1/interview_responses", turns).status == 201);
    json voice = {{"interview_id", id},
                  {"clarity_score", 88.5},
                  {"pace_score", 71},
                  {"filler_words_count", 3}};
    REQUIRE(As("POST", "/rest/v1/voice_analytics", voice).status == 201);
    Reply done = As("PATCH", "/rest/v1/interview_sessions?id=eq." + id, completion,
                    {{"Prefer", "return=representation"}});
    REQUIRE_MESSAGE(done.status == 200, done.body);
    json feedback = {{"interview_id", id},
                     {"user_id", uid},
                     {"overall_score", completion.value("overall_score", json(0))},
                     {"hiring_recommendation", "hire"},
                     {"scores", json::array({{{"category", "communication"}, {"score", 8}}})}};
    Reply fb = As("POST", "/rest/v1/interview_feedback?select=id", feedback,
                  {{"Prefer", "return=representation"}});
    REQUIRE_MESSAGE(fb.status == 201, fb.body);
    json session = One("/rest/v1/interview_sessions?id=eq." + id);
    CHECK(session["feedback_id"] == fb.json()[0]["id"]);
    return session;
  }
};

TEST_CASE("gamification: a user's journey over HTTP matches the rules") {
  Journey j;
  // 1. Voice, 87.5, completed now (the hook stamps completed_at): S = 88.
  json first = j.Interview(
      "voice", {{"status", "completed"}, {"overall_score", 87.5}, {"duration_minutes", 25}});
  REQUIRE(first["completed_at"].is_string());
  const std::string today = first["completed_at"].get<std::string>().substr(0, 10);
  // 2. Text, 92, recorded for yesterday: S = 92, high_score; the streak does not move back.
  json second = j.Interview("text", {{"status", "completed"},
                                     {"overall_score", 92},
                                     {"completed_at", ShiftDay(today, -1) + "T10:00:00Z"}});
  // 3. Voice, 64.49, tomorrow: S = 64; the streak becomes 2.
  json third = j.Interview("voice", {{"status", "completed"},
                                     {"overall_score", 64.49},
                                     {"duration_minutes", 40},
                                     {"completed_at", ShiftDay(today, 1) + "T08:00:00+02:00"}});
  // Reopening and completing again awards nothing.
  REQUIRE(j.As("PATCH", "/rest/v1/interview_sessions?id=eq." + third["id"].get<std::string>(),
               {{"status", "in_progress"}})
              .status == 204);
  REQUIRE(j.As("PATCH", "/rest/v1/interview_sessions?id=eq." + third["id"].get<std::string>(),
               {{"status", "completed"}})
              .status == 204);

  const int64_t s_sum = 88 + 92 + 64;
  const int64_t xp = 3 * 50 + s_sum + 50 /* first_interview */ + 100 /* high_score */;
  json profile = j.One("/rest/v1/profiles?id=eq." + j.uid);
  CHECK(profile["total_interviews"] == 3);
  CHECK(profile["completed_interviews"] == 3);
  CHECK(profile["average_score"].get<double>() == doctest::Approx(81.33));  // 243.99 / 3
  CHECK(profile["total_xp"] == xp);
  CHECK(profile["level"] == ib::e2e::LevelFor(xp));
  CHECK(profile["level"] == 3);
  CHECK(profile["streak_days"] == 2);
  CHECK(profile["last_activity_date"] == ShiftDay(today, 1));

  json streak = j.One("/rest/v1/streaks?user_id=eq." + j.uid);
  CHECK(streak["current_streak"] == 2);
  CHECK(streak["longest_streak"] == 2);
  CHECK(streak["streak_data"] == json({ShiftDay(today, -1), today, ShiftDay(today, 1)}));

  json achievements = j.As("GET",
                           "/rest/v1/achievements?select=achievement_type,xp_reward,title"
                           "&order=achievement_type")
                          .json();
  REQUIRE(achievements.size() == 2);
  CHECK(achievements[0]["achievement_type"] == "first_interview");
  CHECK(achievements[0]["xp_reward"] == 50);
  CHECK(achievements[1]["achievement_type"] == "high_score");
  CHECK(achievements[1]["title"].get<std::string>().size() > 0);

  // The leaderboard is public: read it as anon.
  json board = j.server
                   .Send("GET",
                         "/rest/v1/leaderboard?select=user_id,total_score,total_xp,"
                         "rank,weekly_score,monthly_score",
                         j.server.anon_key())
                   .json();
  REQUIRE(board.size() == 1);
  CHECK(board[0] == json({{"user_id", j.uid},
                          {"total_score", s_sum},
                          {"total_xp", xp},
                          {"rank", 1},
                          {"weekly_score", s_sum},
                          {"monthly_score", s_sum}}));

  Reply stats = j.As("POST", "/rest/v1/rpc/get_user_interview_stats", {{"p_user_id", j.uid}});
  REQUIRE(stats.status == 200);
  CHECK(stats.body.find("\"average_score\":81.3300000000000000") != std::string::npos);
  json st = stats.json()[0];
  CHECK(st["total_interviews"] == 3);
  CHECK(st["completed_interviews"] == 3);
  CHECK(st["total_duration_minutes"] == 65);
  CHECK(st["last_interview_date"] == third["created_at"]);

  json recent =
      j.As("GET", "/rest/v1/rpc/get_recent_interviews_with_feedback?p_user_id=" + j.uid).json();
  REQUIRE(recent.size() == 3);
  CHECK(recent[0]["interview_id"] == third["id"]);
  CHECK(recent[0]["feedback_id"] == third["feedback_id"]);
  CHECK(recent[0]["hiring_recommendation"] == "hire");
  CHECK(recent[2]["interview_id"] == first["id"]);
  CHECK(recent[2]["overall_score"] == 87.5);

  json top = j.server.Send("GET", "/rest/v1/rpc/get_leaderboard", j.server.anon_key()).json();
  REQUIRE(top.size() == 1);
  CHECK(top[0] == json({{"rank", 1},
                        {"user_id", j.uid},
                        {"display_name", "Jo Urney"},
                        {"avatar_url", nullptr},
                        {"total_score", s_sum},
                        {"total_xp", xp},
                        {"level", 3}}));
}

TEST_CASE("gamification: deleting a completed interview recomputes - XP stays") {
  Journey j;
  json a = j.Interview("voice", {{"status", "completed"}, {"overall_score", 70}});
  json b = j.Interview("voice", {{"status", "completed"}, {"overall_score", 95}});
  const int64_t xp = j.One("/rest/v1/profiles?id=eq." + j.uid)["total_xp"];
  REQUIRE(
      j.As("DELETE", "/rest/v1/interview_sessions?id=eq." + b["id"].get<std::string>()).status ==
      204);
  json profile = j.One("/rest/v1/profiles?id=eq." + j.uid);
  CHECK(profile["total_interviews"] == 1);
  CHECK(profile["completed_interviews"] == 1);
  CHECK(profile["average_score"] == 70.0);
  CHECK(profile["total_xp"] == xp);
  json board = j.One("/rest/v1/leaderboard?user_id=eq." + j.uid);
  CHECK(board["total_score"] == 70);
  CHECK(board["rank"] == 1);
  CHECK(j.As("GET", "/rest/v1/achievements?achievement_type=eq.high_score").json().size() == 1);
}

TEST_CASE("gamification: a refused request leaves no award behind") {
  Journey j;
  const std::string other = ib::e2e::NewUser(j.server, "other@example.com", "Other");
  const std::string id = ib::e2e::NewSession(j.server, j.token, j.uid, json::object());
  // Completing while handing the session to someone else: the write and every hook run, then
  // the update guard's check refuses the new row, and the whole transaction goes.
  Reply moved = j.As("PATCH", "/rest/v1/interview_sessions?id=eq." + id,
                     {{"status", "completed"}, {"overall_score", 99}, {"user_id", other}});
  CHECK(moved.status == 403);
  CHECK(moved.json()["code"] == "42501");
  json profile = j.One("/rest/v1/profiles?id=eq." + j.uid);
  CHECK(profile["completed_interviews"] == 0);
  CHECK(profile["total_xp"] == 0);
  CHECK(j.As("GET", "/rest/v1/achievements").json() == json::array());
  CHECK(AsService(j.server, "GET", "/rest/v1/leaderboard").json() == json::array());
  CHECK(AsService(j.server, "GET", "/rest/v1/profiles?select=total_interviews&id=eq." + other)
            .json() == json::parse(R"([{"total_interviews":0}])"));
}

TEST_CASE("gamification: /admin/v1/reset is service-only and wipes the data, not the keys") {
  Journey j;
  j.Interview("voice", {{"status", "completed"}, {"overall_score", 80}});
  Reply anon = j.server.Send("POST", "/admin/v1/reset", j.server.anon_key());
  CHECK(anon.status == 401);
  CHECK(anon.json()["code"] == "42501");
  CHECK(anon.json().contains("details"));
  CHECK(anon.json().contains("hint"));
  Reply user = j.As("POST", "/admin/v1/reset");
  CHECK(user.status == 403);
  CHECK(user.json()["code"] == "42501");
  CHECK(AsService(j.server, "GET", "/rest/v1/profiles").json().size() == 1);

  Reply done = AsService(j.server, "POST", "/admin/v1/reset");
  REQUIRE_MESSAGE(done.status == 200, done.body);
  for (const char* table :
       {"profiles", "interview_sessions", "interview_responses", "interview_feedback",
        "voice_analytics", "achievements", "leaderboard", "streaks"}) {
    CAPTURE(table);
    CHECK(AsService(j.server, "GET", std::string("/rest/v1/") + table).json() == json::array());
  }
  Reply users = AsService(j.server, "GET", "/auth/v1/admin/users");
  if (users.status == 200) CHECK(users.json()["users"] == json::array());
  // Same keys, fresh data: the journey can start again from zero.
  const std::string again = ib::e2e::NewUser(j.server, "journey@example.com", "Jo");
  CHECK(AsService(j.server, "GET", "/rest/v1/profiles?select=total_xp&id=eq." + again).json() ==
        json::parse(R"([{"total_xp":0}])"));
}

}  // namespace

TEST_CASE("gamification: rank is computed when read - filtered, ordered, never written") {
  ServerProcess server{{"--password-cost", "minimal"}};
  const std::string a = ib::e2e::NewUser(server, "a@example.com", "A");
  const std::string b = ib::e2e::NewUser(server, "b@example.com", "B");
  const std::string c = ib::e2e::NewUser(server, "c@example.com", "C");
  for (const auto& [uid, score] : {std::pair{a, 300}, {b, 100}, {c, 300}}) {
    json row = {{"user_id", uid}, {"total_score", score}};
    Reply r = AsService(server, "POST", "/rest/v1/leaderboard", row.dump());
    REQUIRE_MESSAGE(r.status == 201, r.body);
  }
  auto ranks = [&](const std::string& query) {
    Reply r =
        server.Send("GET", "/rest/v1/leaderboard?select=user_id,rank" + query, server.anon_key());
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return r.json();
  };
  CHECK(ranks("&order=rank.asc,user_id.asc") ==
        json::array({{{"user_id", std::min(a, c)}, {"rank", 1}},
                     {{"user_id", std::max(a, c)}, {"rank", 1}},
                     {{"user_id", b}, {"rank", 3}}}));
  CHECK(ranks("&rank=gt.1") == json::array({{{"user_id", b}, {"rank", 3}}}));
  // order=rank sorts by the score behind it (an index), in either direction.
  CHECK(ranks("&order=rank.desc,user_id.asc&limit=2") ==
        json::array({{{"user_id", b}, {"rank", 3}}, {{"user_id", std::min(a, c)}, {"rank", 1}}}));

  // Another row's score moves everyone's rank, with no write to their rows.
  REQUIRE(
      AsService(server, "PATCH", "/rest/v1/leaderboard?user_id=eq." + b, R"({"total_score": 301})")
          .status == 204);
  CHECK(ranks("&user_id=eq." + a) == json::array({{{"user_id", a}, {"rank", 2}}}));
  REQUIRE(AsService(server, "DELETE", "/rest/v1/leaderboard?user_id=eq." + b).status == 204);
  CHECK(ranks("&user_id=eq." + a) == json::array({{{"user_id", a}, {"rank", 1}}}));

  // Like a Postgres generated column, rank takes no value: 400 428C9, nothing written.
  Reply patch = AsService(server, "PATCH", "/rest/v1/leaderboard?user_id=eq." + a,
                          R"({"rank": 9, "total_score": 5})");
  CHECK(patch.status == 400);
  CHECK(patch.json()["code"] == "428C9");
  CHECK(patch.json()["message"] == "column \"rank\" can only be updated to DEFAULT");
  Reply post =
      AsService(server, "POST", "/rest/v1/leaderboard", json({{"user_id", b}, {"rank", 1}}).dump());
  CHECK(post.status == 400);
  CHECK(post.json()["message"] == "cannot insert a non-DEFAULT value into column \"rank\"");
  CHECK(ranks("&order=user_id") == json::array({{{"user_id", std::min(a, c)}, {"rank", 1}},
                                                {{"user_id", std::max(a, c)}, {"rank", 1}}}));
}
