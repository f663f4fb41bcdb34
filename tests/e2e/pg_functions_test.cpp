// The PL/pgSQL port of our hooks and RPCs (schema/postgres/functions.sql, in schema.sql as
// `interviewbase export postgres` writes it) against the hooks and RPCs themselves: one scenario
// (sign-ups, sessions created and completed by insert and by update, responses, a reopened
// session, feedback, deletions, an owner and an email change, a deleted user) is written
// through our HTTP API and as the same SQL on PostgreSQL 15, where the triggers fire under the
// exported row-level security; then profiles, streaks, achievements, the leaderboard, the order
// of updated_at and every RPC's rows must be equal (numbers by value, timestamps at
// microseconds), and each refusal must carry the same SQLSTATE on both sides.
#include "storage/export/pg_functions.h"

#include <doctest/doctest.h>

#include <ctime>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "storage/hooks/gamification.h"
#include "storage/hooks/hook.h"
#include "storage/rpc/rpc.h"
#include "tests/e2e/support/pg_twin.h"
#include "tests/e2e/support/supabase_stand_in.h"

using ib::e2e::Canonical;
using ib::e2e::PgTwin;
using ib::e2e::PostgresInstance;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The UTC date `days_ago` days before now, at `time`, as a timestamptz text.
std::string DaysAgo(int days_ago, const char* time = "12:00:00") {
  const std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days_ago) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
  return std::string(date) + "T" + time + "Z";
}

// Ids chosen by the test, so both sides hold the same keys.
std::string Id(int n) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
  return id;
}

struct People {
  std::string ann, ben, cat, dan;
};

json Session(const std::string& user, int n, const char* status, json score, const char* type,
             json completed_at) {
  char created[32];
  std::snprintf(created, sizeof created, "2025-06-01T10:%02d:00Z", n);
  return {{"id", Id(n)},
          {"user_id", user},
          {"title", "Interview " + std::to_string(n)},
          {"status", status},
          {"overall_score", score},
          {"interview_type", type},
          {"created_at", created},
          {"completed_at", completed_at},
          {"duration_minutes", n}};
}

People WriteScenario(const PgTwin& twin) {
  const auto* svc = PgTwin::kService;
  People p;
  p.ann = twin.AddUser(
      "ann@x.io",
      {{"full_name", "Ann Full"}, {"name", "ann"}, {"avatar_url", "a.png"}, {"picture", "p.png"}});
  p.ben = twin.AddUser("ben@x.io", {{"name", "Ben"}, {"picture", "b.png"}});
  p.cat = twin.AddUser("cat@x.io", json::object());
  p.dan = twin.AddUser("dan@x.io", {{"name", 7}});

  // Ann: completions on five consecutive days (streak_3), by insert and by update, a 100
  // (perfect), five voice sessions (voice_5); one completed_at stamped by the hook.
  twin.Insert(p.ann, "interview_sessions", Session(p.ann, 1, "completed", 80, "voice", DaysAgo(4)));
  twin.Insert(p.ann, "interview_sessions", Session(p.ann, 2, "pending", nullptr, "voice", nullptr));
  twin.Patch(p.ann, "interview_sessions", "id", Id(2),
             {{"status", "completed"}, {"overall_score", 95}, {"completed_at", DaysAgo(3)}});
  twin.Insert(p.ann, "interview_sessions",
              Session(p.ann, 3, "in_progress", nullptr, "text", nullptr));
  twin.Insert(
      p.ann, "interview_responses",
      {{"interview_id", Id(3)}, {"role", "assistant"}, {"content", "Hi"}, {"sequence_number", 1}});
  twin.Insert(
      p.ann, "interview_responses",
      {{"interview_id", Id(3)}, {"role", "user"}, {"content", "Hello"}, {"sequence_number", 2}});
  twin.Patch(p.ann, "interview_sessions", "id", Id(3),
             {{"status", "completed"}, {"overall_score", 100}, {"completed_at", DaysAgo(2)}});
  twin.Insert(p.ann, "interview_sessions", Session(p.ann, 4, "completed", 90, "voice", DaysAgo(1)));
  twin.Insert(p.ann, "interview_sessions", Session(p.ann, 5, "pending", nullptr, "voice", nullptr));
  twin.Patch(p.ann, "interview_sessions", "id", Id(5),
             {{"status", "completed"}, {"overall_score", 60}});
  twin.Insert(p.ann, "interview_sessions",
              Session(p.ann, 6, "completed", 70.5, "voice", DaysAgo(0, "00:00:00")));
  // Reopened and completed again: no second award.
  twin.Patch(p.ann, "interview_sessions", "id", Id(2), {{"status", "in_progress"}});
  twin.Patch(p.ann, "interview_sessions", "id", Id(2), {{"status", "completed"}});
  // Feedback: the first of a session stays linked.
  for (int f = 0; f < 3; ++f) {
    twin.Insert(p.ann, "interview_feedback",
                {{"id", Id(100 + f)},
                 {"interview_id", Id(f < 2 ? 3 : 1)},
                 {"user_id", p.ann},
                 {"overall_score", 88 + f},
                 {"hiring_recommendation", f ? "hire" : "strong_hire"}});
  }
  // Plain updates move updated_at.
  twin.Patch(p.ann, "interview_feedback", "id", Id(101), {{"hiring_recommendation", "no_hire"}});
  twin.Patch(p.ann, "profiles", "id", p.ann, {{"name", "Annie"}});
  twin.Insert(p.ann, "user_progress",
              {{"id", Id(200)}, {"user_id", p.ann}, {"category", "sql"}, {"skill", "joins"}});
  twin.Insert(p.ann, "user_progress",
              {{"id", Id(201)}, {"user_id", p.ann}, {"category", "sql"}, {"skill", "views"}});
  twin.Patch(p.ann, "user_progress", "id", Id(200), {{"xp", 30}});
  // Deleting a completed session recomputes; a pending one only recounts.
  twin.Remove(p.ann, "interview_sessions", "id", Id(4));
  twin.Insert(p.ann, "interview_sessions", Session(p.ann, 7, "pending", nullptr, "voice", nullptr));
  twin.Remove(p.ann, "interview_sessions", "id", Id(7));

  // Ben: a UTC day boundary (23:59:59.999999 then 00:00:00 is two days), an earlier day that
  // changes nothing but the history, 89.5 (S = 90, not a high score) and 99.5 (not perfect).
  twin.Insert(p.ben, "interview_sessions",
              Session(p.ben, 11, "completed", 89.5, "text", "2024-03-01T23:59:59.999999Z"));
  twin.Insert(p.ben, "interview_sessions",
              Session(p.ben, 12, "completed", 99.5, "voice", "2024-03-02T00:00:00Z"));
  twin.Insert(p.ben, "interview_sessions",
              Session(p.ben, 13, "completed", 10, "voice", "2024-02-28T12:00:00Z"));

  // Cat: total_score 200 like Ben (a shared rank); a session without a score; one moved to Dan,
  // one moved to Dan and completed at once, and one deleted by the service.
  twin.Insert(p.cat, "interview_sessions",
              Session(p.cat, 21, "completed", 100, "voice", DaysAgo(10)));
  twin.Insert(p.cat, "interview_sessions",
              Session(p.cat, 22, "completed", 100, "text", DaysAgo(40)));
  twin.Insert(p.cat, "interview_sessions",
              Session(p.cat, 23, "completed", nullptr, "voice", DaysAgo(5)));
  twin.Insert(p.cat, "interview_sessions",
              Session(p.cat, 24, "completed", 50, "voice", DaysAgo(20)));
  twin.Patch(svc, "interview_sessions", "id", Id(23), {{"user_id", p.dan}});
  twin.Remove(svc, "interview_sessions", "id", Id(24));
  // One update that moves a session to Dan and completes it: the award and the owner recount
  // in the order Postgres fires them (the recount last), so Dan's counters stay exact.
  twin.Insert(p.cat, "interview_sessions",
              Session(p.cat, 25, "pending", nullptr, "text", DaysAgo(3)));
  twin.Patch(svc, "interview_sessions", "id", Id(25),
             {{"user_id", p.dan}, {"status", "completed"}, {"overall_score", 60}});
  twin.SetEmail(p.dan, "dan.new@x.io");
  return p;
}

void CompareTable(const PgTwin& twin, const std::string& table, const std::string& select) {
  CAPTURE(table);
  const json ours = Canonical(twin.OurRows(table, select));
  const json theirs = Canonical(twin.TheirRows(table, select));
  CHECK(ours.dump(1) == theirs.dump(1));
}

// Which rows share an updated_at and in which order: each side's rows ranked by updated_at
// (ties share a rank). Writes are sequential, and both sides give every write of one request or
// transaction one instant, so equal ranks mean the updated_at hooks fired on the same writes.
std::map<std::string, int> UpdatedOrder(const json& rows, const std::string& key) {
  std::map<std::string, std::vector<std::string>> by_time;
  for (const json& row : Canonical(rows)) by_time[row["updated_at"]].push_back(row[key]);
  std::map<std::string, int> rank;
  int n = 0;
  for (const auto& [time, keys] : by_time) {
    ++n;
    for (const std::string& k : keys) rank[k] = n;
  }
  return rank;
}

void CompareUpdatedAt(const PgTwin& twin) {
  for (const auto& [table, key] :
       std::vector<std::pair<std::string, std::string>>{{"profiles", "id"},
                                                        {"interview_sessions", "id"},
                                                        {"interview_feedback", "id"},
                                                        {"user_progress", "id"},
                                                        {"streaks", "user_id"}}) {
    const std::string& name = table;
    CAPTURE(name);
    const std::string select = key + ",updated_at";
    CHECK(UpdatedOrder(twin.OurRows(table, select), key) ==
          UpdatedOrder(twin.TheirRows(table, select), key));
  }
}

void CompareTables(const PgTwin& twin) {
  CompareUpdatedAt(twin);
  CompareTable(twin, "profiles",
               "id,email,name,full_name,avatar_url,total_interviews,completed_interviews,"
               "average_score,total_xp,level,streak_days,last_activity_date");
  CompareTable(twin, "streaks",
               "user_id,current_streak,longest_streak,last_activity_date,streak_data");
  CompareTable(twin, "achievements",
               "user_id,achievement_type,title,description,icon,xp_reward,metadata");
  CompareTable(twin, "leaderboard", "user_id,total_score,total_xp,rank,weekly_score,monthly_score");
  CompareTable(twin, "interview_sessions", "id,user_id,status,overall_score,feedback_id");
  CompareTable(twin, "interview_feedback", "id,interview_id");
}

void CompareCalls(const PgTwin& twin, const People& p) {
  for (const std::string& uid : {p.ann, p.ben, p.cat, p.dan, Id(999)}) {
    CAPTURE(uid);
    const std::string arg = "'" + uid + "'";
    CHECK(Canonical(twin.OurCall("get_user_interview_stats", {{"p_user_id", uid}})).dump(1) ==
          Canonical(twin.TheirCall("get_user_interview_stats", arg)).dump(1));
    for (const auto& [limit, pg_limit] :
         std::vector<std::pair<json, std::string>>{{10, ""}, {2, ", 2"}, {nullptr, ", NULL"}}) {
      json args = {{"p_user_id", uid}};
      if (!pg_limit.empty()) args["p_limit"] = limit;
      CAPTURE(args.dump());
      CHECK(
          Canonical(twin.OurCall("get_recent_interviews_with_feedback", args)).dump(1) ==
          Canonical(twin.TheirCall("get_recent_interviews_with_feedback", arg + pg_limit)).dump(1));
    }
  }
  // The ranking's order is part of the result: compared as ordered.
  for (const auto& [args, pg_args] : std::vector<std::pair<json, std::string>>{
           {json::object(), ""}, {{{"p_limit", 2}}, "2"}, {{{"p_limit", nullptr}}, "NULL"}}) {
    const std::string shown = args.dump();
    CAPTURE(shown);
    CHECK(Canonical(twin.OurCall("get_leaderboard", args), true).dump(1) ==
          Canonical(twin.TheirCall("get_leaderboard", pg_args), true).dump(1));
  }
}

// Each refusal carries the same SQLSTATE on both sides, next to its allowed twin.
void CompareRefusals(const PgTwin& twin, const People& p) {
  const std::string stats = "/rest/v1/rpc/get_user_interview_stats";
  const std::vector<std::tuple<std::string, std::string, std::string, std::string, std::string>>
      cases = {
          {p.ann, "POST", stats, json{{"p_user_id", p.ann}}.dump(),
           "SELECT * FROM get_user_interview_stats('" + p.ann + "')"},
          {p.ann, "POST", stats, json{{"p_user_id", p.ben}}.dump(),
           "SELECT * FROM get_user_interview_stats('" + p.ben + "')"},
          {"anon", "POST", stats, json{{"p_user_id", p.ann}}.dump(),
           "SELECT * FROM get_user_interview_stats('" + p.ann + "')"},
          {"anon", "POST", "/rest/v1/rpc/get_leaderboard", "{}", "SELECT * FROM get_leaderboard()"},
          {p.ann, "POST", "/rest/v1/rpc/refresh_leaderboard", "{}", "SELECT refresh_leaderboard()"},
          {PgTwin::kService, "PATCH", "/rest/v1/leaderboard?user_id=eq." + p.ben,
           R"({"weekly_score":1})",
           "UPDATE leaderboard SET weekly_score = 1 WHERE user_id = '" + p.ben + "'"},
          {PgTwin::kService, "PATCH", "/rest/v1/leaderboard?user_id=eq." + p.ben, R"({"rank":1})",
           "UPDATE leaderboard SET rank = 1 WHERE user_id = '" + p.ben + "'"},
      };
  const std::vector<std::string> expected = {"ok", "42501", "42501", "ok", "42501", "ok", "428C9"};
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& [who, method, path, body, sql] = cases[i];
    const std::string& statement = sql;
    CAPTURE(statement);
    CHECK(twin.OurCode(who, method, path, body) == expected[i]);
    CHECK(twin.TheirCode(who, sql) == expected[i]);
  }
}

}  // namespace

TEST_CASE("pg functions: the PL/pgSQL port names every hook, RPC and achievement rule") {
  const std::string sql(ib::storage::pgexport::PostgresFunctionsSql());
  for (const auto& hook : ib::storage::hooks::AllHooks()) {
    CAPTURE(hook.name);
    CHECK(std::regex_search(sql, std::regex("TRIGGER " + std::string(hook.name) + "\\s")));
  }
  for (const auto& fn : ib::storage::rpc::AllFunctions()) {
    CAPTURE(fn.name);
    CHECK(sql.find("FUNCTION public." + std::string(fn.name) + "(") != std::string::npos);
  }
  for (const auto& rule : ib::storage::hooks::AchievementRules()) {
    std::ostringstream row;
    row << "'" << rule.type << "', '" << rule.title << "', '" << rule.description << "', '"
        << rule.icon << "', " << rule.xp_reward << ",";
    CAPTURE(row.str());
    CHECK(sql.find(row.str()) != std::string::npos);
  }
}

TEST_CASE("pg functions: the same writes give the same rows and RPC results in PostgreSQL 15") {
  PostgresInstance pg;
  if (!pg.available()) {
    MESSAGE("SKIPPED: the PL/pgSQL differential test did not run: " << pg.why());
    return;
  }
  ServerProcess server{{"--password-cost", "minimal"}};
  // The schema as `export postgres` writes it (tables, policies, grants, then functions.sql).
  const std::string out = server.dir() + "/export";
  REQUIRE(ib::e2e::RunBinary({"export", "postgres", out, "--db", server.db_path()}).status == 0);
  pg.Query(ib::e2e::kSupabaseStandIn);
  pg.Query(ReadFile(out + "/schema.sql"));
  const PgTwin twin(server, pg);
  const People people = WriteScenario(twin);

  CompareTables(twin);
  CompareCalls(twin, people);
  CompareRefusals(twin, people);

  // Stale and missing leaderboard rows, then refresh_leaderboard() on both.
  twin.Patch(PgTwin::kService, "leaderboard", "user_id", people.ben,
             {{"total_score", 12345}, {"weekly_score", 7}, {"total_xp", 1}});
  twin.Remove(PgTwin::kService, "leaderboard", "user_id", people.cat);
  CompareTable(twin, "leaderboard", "user_id,total_score,total_xp,rank,weekly_score,monthly_score");
  CHECK(twin.OurCall("refresh_leaderboard", json::object()).is_null());
  pg.Query("SELECT refresh_leaderboard()");
  CompareTables(twin);
  CompareCalls(twin, people);

  // A deleted user takes their rows along; Postgres fires the session triggers on the cascade
  // (ours fires no hook), which must change nothing else, and the ranks behind them close up.
  twin.RemoveUser(people.cat);
  CompareTables(twin);
  CompareCalls(twin, people);
}
