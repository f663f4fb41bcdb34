// `interviewbase import postgres` with the real binary: a data-only dump in pg_dump's exact
// shape (comments, SET lines, \restrict, GoTrue's full auth.users and auth.identities columns,
// columns in another order, a computed column, setval) loads into a new database that then
// serves the rows and signs the user in with the old password; malformed dumps, a non-empty
// database and a served one are refused with the line number and nothing written.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "server/auth/passwords.h"
#include "tests/e2e/support/server_process.h"
#include "tests/support/scratch_dir.h"

using ib::e2e::RunBinary;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

constexpr const char* kUser = "5d0c1f1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f";
constexpr const char* kSession = "6e1d2f2e-3b4c-4d5e-9f0a-1b2c3d4e5f60";

// A dump as `pg_dump --data-only --table=auth.users --table=auth.identities --table=public.*`
// writes it for a Supabase project (PostgreSQL 15): line numbers matter to the tests below.
std::string Dump(const std::string& hash) {
  return std::string(
             "--\n"
             "-- PostgreSQL database dump\n"
             "--\n"
             "\n"
             "\\restrict Qh1xYk2\n"
             "\n"
             "-- Dumped from database version 15.8\n"
             "-- Dumped by pg_dump version 15.8\n"
             "\n"
             "SET statement_timeout = 0;\n"
             "SET lock_timeout = 0;\n"
             "SET client_encoding = 'UTF8';\n"
             "SET standard_conforming_strings = on;\n"
             "SELECT pg_catalog.set_config('search_path', '', false);\n"
             "SET row_security = off;\n"
             "\n"
             "--\n"
             "-- Data for Name: users; Type: TABLE DATA; Schema: auth; Owner: supabase_auth_admin\n"
             "--\n"
             "\n"
             "COPY auth.users (instance_id, id, aud, role, email, encrypted_password, "
             "email_confirmed_at, invited_at, confirmation_token, raw_app_meta_data, "
             "raw_user_meta_data, is_super_admin, created_at, updated_at, phone, is_sso_user, "
             "deleted_at, is_anonymous) FROM stdin;\n"  // line 21
             "00000000-0000-0000-0000-000000000000\t") +
         kUser + "\tauthenticated\tauthenticated\tmover@example.com\t" + hash +
         "\t2025-02-01 08:00:00.5+00\t\\N\t\t{\"provider\": \"email\", \"providers\": "
         "[\"email\"]}\t{\"full_name\": \"Mo Ver\"}\t\\N\t2025-02-01 07:59:00+00\t2025-02-01 "
         "08:00:00.5+00\t\\N\tf\t\\N\tf\n"  // line 22
         "\\.\n"
         "\n"
         "COPY auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, "
         "created_at, updated_at, id) FROM stdin;\n"  // line 25
         + kUser + "\t" + kUser + "\t{\"sub\": \"" + kUser +
         "\"}\temail\t2025-02-01 08:00:00+00\t2025-02-01 07:59:00+00\t2025-02-01 07:59:00+00\t"
         "7f2e3a3f-4c5d-4e6f-8a1b-2c3d4e5f6071\n"
         "\\.\n"
         "\n"
         "COPY public.profiles (username, id, email, full_name, tech_stack, total_interviews, "
         "completed_interviews, average_score, total_xp, level, streak_days, "
         "last_activity_date, onboarding_completed, preferences, created_at, updated_at) FROM "
         "stdin;\n"  // line 29
         "mover\t" +
         kUser +
         "\tmover@example.com\tMo Ver\t{go,\"c++\",\"with space\"}\t1\t1\t87.50\t150\t2\t3\t"
         "2025-03-02\tt\t{\"theme\": \"dark\"}\t2025-02-01 07:59:00+00\t2025-03-02 "
         "09:30:00.123456+00\n"
         "\\.\n"
         "\n"
         "COPY public.interview_sessions (id, user_id, title, interview_type, status, metadata, "
         "completed_at, overall_score, created_at, updated_at) FROM stdin;\n"  // line 33
         + kSession + "\t" + kUser +
         "\tSystem design\tvoice\tcompleted\t{\"round\": 2}\t2025-03-02 09:30:00+00\t87.50\t"
         "2025-03-02 09:00:00+00\t2025-03-02 09:30:00+00\n"
         "\\.\n"
         "\n"
         "COPY public.interview_responses (id, interview_id, role, content, \"timestamp\", "
         "sequence_number) FROM stdin;\n"  // line 37
         "8a3f4b40-5d6e-4f70-9b1c-2d3e4f5a6b7c\t" +
         kSession +
         "\tuser\tline one\\nline\\ttwo \\\\ done\t2025-03-02 09:01:00+00\t1\n"
         "\\.\n"
         "\n"
         "COPY public.leaderboard (id, user_id, total_score, total_xp, rank, weekly_score, "
         "monthly_score, last_updated) FROM stdin;\n"  // line 41
         "9b4a5c51-6e7f-4a81-8c2d-3e4f5a6b7c8d\t" +
         kUser +
         "\t88\t150\t1\t88\t88\t2025-03-02 09:30:00+00\n"
         "\\.\n"
         "\n"
         "SELECT pg_catalog.setval('auth.refresh_tokens_id_seq', 1, false);\n"
         "\n"
         "--\n"
         "-- PostgreSQL database dump complete\n"
         "--\n"
         "\n"
         "\\unrestrict Qh1xYk2\n";
}

std::string Hash() { return ib::auth::HashPassword("old-password", ib::auth::MinimalCost()); }

std::string Write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

int64_t Count(const std::string& db, const std::string& table) {
  SQLite::Database file(db, SQLite::OPEN_READONLY);
  return file.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

// `dump` with its line `n` (1-based) replaced by `text`.
std::string ReplaceLine(const std::string& dump, int n, const std::string& text) {
  size_t start = 0;
  for (int i = 1; i < n; ++i) start = dump.find('\n', start) + 1;
  const size_t end = dump.find('\n', start);
  return dump.substr(0, start) + text + dump.substr(end);
}

std::string Swap(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

std::string LineOf(const std::string& dump, int n) {
  size_t start = 0;
  for (int i = 1; i < n; ++i) start = dump.find('\n', start) + 1;
  return dump.substr(start, dump.find('\n', start) - start);
}

}  // namespace

TEST_CASE("import: a pg_dump data-only file loads and is served, the user signs in") {
  ib::testing::ScratchDir scratch;
  const std::string dump = Write(scratch.path(), "data.sql", Dump(Hash()));
  const std::string db = scratch.path() + "/imported.db";
  auto imported = RunBinary({"import", "postgres", scratch.path(), "--db", db});
  REQUIRE_MESSAGE(imported.status == 0, imported.output);
  CHECK(imported.output.find("profiles: 1 rows") != std::string::npos);
  CHECK(imported.output.find("auth.users.instance_id") != std::string::npos);  // reported
  CHECK(imported.output.find("imported 6 rows") != std::string::npos);

  ServerProcess server(ib::e2e::FastPasswords(), db);
  auto token = server.Send("POST", "/auth/v1/token?grant_type=password", server.anon_key(),
                           R"({"email":"mover@example.com","password":"old-password"})");
  REQUIRE_MESSAGE(token.status == 200, token.body);
  CHECK(token.json()["user"]["user_metadata"]["full_name"] == "Mo Ver");
  const std::string jwt = token.json()["access_token"];
  auto profile = server.Send("GET",
                             "/rest/v1/profiles?select=username,tech_stack,average_score,"
                             "total_xp,last_activity_date,onboarding_completed,preferences,"
                             "updated_at",
                             jwt);
  REQUIRE(profile.status == 200);
  CHECK(profile.json() == json::parse(R"([{"username":"mover",
      "tech_stack":["go","c++","with space"],"average_score":87.50,"total_xp":150,
      "last_activity_date":"2025-03-02","onboarding_completed":true,
      "preferences":{"theme":"dark"},"updated_at":"2025-03-02T09:30:00.123456+00:00"}])"));
  auto sessions = server.Send(
      "GET", "/rest/v1/interview_sessions?select=title,metadata,interview_responses(content)", jwt);
  REQUIRE(sessions.status == 200);
  CHECK(sessions.json() == json::parse(R"([{"title":"System design","metadata":{"round":2},
      "interview_responses":[{"content":"line one\nline\ttwo \\ done"}]}])"));
  auto board = server.Send("GET", "/rest/v1/leaderboard?select=total_score,rank", jwt);
  CHECK(board.json() == json::parse(R"([{"total_score":88,"rank":1}])"));
  // Hooks did not fire on import, and the imported completion is not awarded again.
  auto again = server.Send("PATCH", std::string("/rest/v1/interview_sessions?id=eq.") + kSession,
                           jwt, R"({"status":"completed"})");
  CHECK(again.status == 204);
  auto xp = server.Send("GET", "/rest/v1/profiles?select=total_xp,completed_interviews", jwt);
  CHECK(xp.json() == json::parse(R"([{"total_xp":150,"completed_interviews":1}])"));
}

TEST_CASE("import: malformed dumps are refused with their line and nothing is written") {
  ib::testing::ScratchDir scratch;
  const std::string good = Dump(Hash());
  const std::string profile_row = LineOf(good, 30);
  const std::string session_row = LineOf(good, 34);
  struct Case {
    std::string name;
    std::string dump;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"bad escape", ReplaceLine(good, 38, LineOf(good, 38) + "\\"), "line 38: bad escape"},
      {"wrong column count", ReplaceLine(good, 30, profile_row + "\textra"),
       "line 30: the row has 17 fields"},
      {"unknown table", ReplaceLine(good, 41, "COPY public.nope (id) FROM stdin;"),
       "line 41: table public.nope is not one of this platform's"},
      {"unknown public column",
       ReplaceLine(good, 37,
                   "COPY public.interview_responses (id, interview_id, role, content, "
                   "\"timestamp\", mood) FROM stdin;"),
       "line 37: column mood of public.interview_responses does not exist here"},
      {"bad uuid", ReplaceLine(good, 34, "not-a-uuid" + session_row.substr(36)),
       "line 34: column id of interview_sessions: invalid input syntax for type uuid"},
      {"bad timestamp",
       ReplaceLine(good, 34, session_row.substr(0, session_row.rfind('\t')) + "\tyesterday"),
       "line 34: column updated_at of interview_sessions"},
      {"bad decimal", ReplaceLine(good, 30, Swap(profile_row, "87.50", "eighty")),
       "line 30: column average_score of profiles"},
      {"an INSERT statement", ReplaceLine(good, 16, "INSERT INTO public.profiles VALUES (1);"),
       "line 16: unsupported statement"},
      {"a missing parent row",
       ReplaceLine(good, 34,
                   std::string(kSession) + "\t00000000-0000-4000-8000-000000000000" +
                       session_row.substr(73)),
       "line 34: the row of interview_sessions refers to a row of auth_users"},
      {"an unterminated block", good.substr(0, good.find("\\.\n\nCOPY public.leaderboard")),
       "line 37: the COPY block of public.interview_responses is not terminated"},
  };
  // Into a database file that does not exist yet, and into an empty one a server made.
  const std::string empty_db = scratch.path() + "/empty.db";
  { ServerProcess made({}, empty_db); }
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string dump = Write(scratch.path(), "bad.sql", c.dump);
    const std::string fresh = scratch.path() + "/fresh.db";
    auto refused = RunBinary({"import", "postgres", dump, "--db", fresh});
    CHECK(refused.status == 1);
    CHECK_MESSAGE(refused.output.find(c.message) != std::string::npos, refused.output);
    CHECK(refused.output.find("nothing was imported") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(fresh));
    auto into_empty = RunBinary({"import", "postgres", dump, "--db", empty_db});
    CHECK(into_empty.status == 1);
    CHECK(Count(empty_db, "auth_users") == 0);
    CHECK(Count(empty_db, "profiles") == 0);
  }
  // The positive control: the same dump unbroken loads into the same empty database.
  const std::string dump = Write(scratch.path(), "good.sql", good);
  auto loaded = RunBinary({"import", "postgres", dump, "--db", empty_db});
  REQUIRE_MESSAGE(loaded.status == 0, loaded.output);
  CHECK(Count(empty_db, "interview_responses") == 1);
  // Now it holds rows: a second import is refused, the rows stay as they are.
  auto twice = RunBinary({"import", "postgres", dump, "--db", empty_db});
  CHECK(twice.status == 1);
  CHECK(twice.output.find("is not empty (") != std::string::npos);
  CHECK(Count(empty_db, "auth_users") == 1);
  // And a database a server is serving is refused before anything else.
  ServerProcess serving({}, empty_db);
  auto served = RunBinary({"import", "postgres", dump, "--db", empty_db});
  CHECK(served.status == 1);
  CHECK(Count(empty_db, "auth_users") == 1);
}

namespace {

// Every platform table read back through the API, in a fixed order (service key).
json AllRows(const ServerProcess& s) {
  json out = json::object();
  for (const char* table : {"profiles", "interview_sessions", "interview_responses",
                            "interview_feedback", "voice_analytics", "achievements",
                            "user_progress", "leaderboard", "streaks", "practice_attempts"}) {
    auto r = s.Send("GET", std::string("/rest/v1/") + table + "?select=*&order=id", s.service_key(),
                    "", {{"apikey", s.service_key()}});
    REQUIRE_MESSAGE(r.status == 200, table << ": " << r.body);
    out[table] = r.json();
  }
  auto users = s.Send("GET", "/auth/v1/admin/users", s.service_key());
  REQUIRE(users.status == 200);
  const json listed = users.json();  // a named value: the loop below reads into it
  for (const auto& u : listed["users"]) {
    out["users"].push_back({{"id", u["id"]},
                            {"email", u["email"]},
                            {"created_at", u["created_at"]},
                            {"email_confirmed_at", u["email_confirmed_at"]},
                            {"user_metadata", u["user_metadata"]}});
  }
  return out;
}

void Post(const ServerProcess& s, const std::string& token, const std::string& table,
          const json& row) {
  auto r = s.Send("POST", "/rest/v1/" + table, token, row.dump(), {{"apikey", s.anon_key()}});
  REQUIRE_MESSAGE(r.status == 201, table << ": " << r.body);
}

}  // namespace

TEST_CASE("import: export postgres then import gives the same rows, and the user signs in") {
  ib::testing::ScratchDir scratch;
  const std::string out = scratch.path() + "/export";
  json before;
  {
    ServerProcess from(ib::e2e::FastPasswords());
    const std::string uid =
        from.CreateUser("round@example.com", "trip-password", {{"full_name", "Round Trip"}});
    const std::string token = ServerProcess::Token("authenticated", uid);
    const std::string service = from.service_key();
    const json session = {
        {"user_id", uid}, {"title", "Tabs\tand\nlines \\ here"}, {"metadata", {{"a", {1, 2.5}}}}};
    auto made = from.Send("POST", "/rest/v1/interview_sessions", token, session.dump(),
                          {{"apikey", from.anon_key()}, {"Prefer", "return=representation"}});
    REQUIRE(made.status == 201);
    const std::string sid = made.json()[0]["id"];
    Post(from, token, "interview_responses",
         {{"interview_id", sid}, {"role", "user"}, {"content", "é \\N\t{x}"}});
    Post(from, token, "practice_attempts",
         {{"user_id", uid}, {"strengths", {"a,b", "\"q\"", "NULL"}}, {"score", 12.34}});
    Post(from, service, "interview_feedback",
         {{"interview_id", sid},
          {"user_id", uid},
          {"overall_score", 91.25},
          {"scores", {{{"k", "depth"}, {"v", 4}}}}});
    Post(from, service, "voice_analytics", {{"interview_id", sid}, {"clarity_score", 77.7}});
    auto done =
        from.Send("PATCH", "/rest/v1/interview_sessions?id=eq." + sid, token,
                  R"({"status":"completed","overall_score":91.25})", {{"apikey", from.anon_key()}});
    REQUIRE(done.status == 204);
    before = AllRows(from);
    REQUIRE(before["achievements"].size() >= 1);  // the hooks ran here
    auto exported = RunBinary({"export", "postgres", out, "--db", from.db_path()});
    REQUIRE_MESSAGE(exported.status == 0, exported.output);
  }
  const std::string db = scratch.path() + "/back.db";
  auto imported = RunBinary({"import", "postgres", out, "--db", db});
  REQUIRE_MESSAGE(imported.status == 0, imported.output);
  ServerProcess to(ib::e2e::FastPasswords(), db);
  CHECK(AllRows(to) == before);
  auto token = to.Send("POST", "/auth/v1/token?grant_type=password", to.anon_key(),
                       R"({"email":"round@example.com","password":"trip-password"})");
  CHECK(token.status == 200);
}
