// `interviewbase export postgres` against PostgreSQL 15: schema.sql loads into a database
// holding minimal stand-ins for Supabase's auth and storage schemas (tables, auth.uid() and
// auth.role() reading request.jwt.claims, the anon / authenticated / service_role roles), and
// its policies, grants and checks give each role what our guards give it; data.sql then loads
// every row (auth users and identities included) equal to what our API returns, and an
// exported password hash still verifies. One PostgreSQL instance serves the whole file; each
// case loads into its own database.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "tests/e2e/support/postgres_instance.h"
#include "tests/e2e/support/server_process.h"
#include "tests/e2e/support/supabase_stand_in.h"
#include "tests/support/scratch_dir.h"

using ib::e2e::FastPasswords;
using ib::e2e::PostgresInstance;
using ib::e2e::RunBinary;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

const PostgresInstance& Pg() {
  static const PostgresInstance pg;
  return pg;
}

// A new database with the stand-ins loaded; its name.
std::string FreshDatabase() {
  static int made = 0;
  std::string name = "export_" + std::to_string(++made);
  Pg().Query("CREATE DATABASE " + name);
  Pg().Query(ib::e2e::kSupabaseStandIn, name);
  return name;
}

std::string ReadExportFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  REQUIRE_MESSAGE(f.good(), path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// `sql` run as `role` with the claims PostgREST would set for that caller, in one transaction.
std::string As(const std::string& db, const std::string& role, const std::string& uid,
               const std::string& sql) {
  json claims = {{"role", role}};
  if (!uid.empty()) claims["sub"] = uid;
  return Pg().Query("BEGIN;\nSET LOCAL ROLE " + role + ";\nSET LOCAL \"request.jwt.claims\" = '" +
                        claims.dump() + "';\n" + sql + "\nCOMMIT;\n",
                    db);
}

// Runs the export of `db_path` into `out`; the command's exit status.
int Export(const std::string& db_path, const std::string& out) {
  return RunBinary({"export", "postgres", out, "--db", db_path}).status;
}

}  // namespace

TEST_CASE("export postgres: schema.sql loads into PostgreSQL 15 and its policies are our guards") {
  if (!Pg().available()) {
    MESSAGE("SKIPPED: PostgreSQL is not available: " << Pg().why());
    return;
  }
  ib::testing::ScratchDir scratch;
  ServerProcess server(FastPasswords());
  // Exported while the server serves the file.
  const std::string out = scratch.path() + "/out";
  REQUIRE(Export(server.db_path(), out) == 0);
  const std::string db = FreshDatabase();
  Pg().Query(ReadExportFile(out + "/schema.sql"), db);

  // One policy per guard row of the platform's tables and of storage's, under the guard's name.
  CHECK(Pg().Query("SELECT count(*) FROM pg_policies WHERE schemaname = 'public'", db) == "31");
  CHECK(Pg().Query("SELECT count(*) FROM pg_policies WHERE schemaname = 'storage'", db) == "7");
  CHECK(Pg().Query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND NOT "
                   "rowsecurity",
                   db) == "0");
  CHECK(Pg().Query("SELECT cmd || ' ' || array_to_string(roles, ',') FROM pg_policies WHERE "
                   "policyname = 'Leaderboard is viewable by everyone'",
                   db) == "SELECT anon,authenticated");

  // Two users' rows, written as the owner (RLS does not apply to it). The new-user trigger of
  // functions.sql may have made the profiles already.
  const std::string a = "11111111-1111-4111-8111-111111111111";
  const std::string b = "22222222-2222-4222-8222-222222222222";
  Pg().Query("INSERT INTO auth.users (id, email) VALUES ('" + a + "', 'a@x.test'), ('" + b +
                 "', 'b@x.test');\n"
                 "INSERT INTO public.profiles (id, email) VALUES ('" +
                 a + "', 'a@x.test'), ('" + b +
                 "', 'b@x.test') ON CONFLICT (id) DO NOTHING;\n"
                 "INSERT INTO public.interview_sessions (user_id, title) VALUES ('" +
                 a + "', 'a1'), ('" + a + "', 'a2'), ('" + b +
                 "', 'b1');\n"
                 "INSERT INTO public.interview_responses (interview_id, role, content) SELECT id, "
                 "'user', 'answer to ' || title FROM public.interview_sessions;\n"
                 "INSERT INTO public.leaderboard (user_id, total_score) VALUES ('" +
                 a + "', 10), ('" + b + "', 20);\n",
             db);

  {  // a user sees only their own rows, their sessions' children included
    CHECK(As(db, "authenticated", a,
             "SELECT string_agg(title, ',' ORDER BY title) FROM public.interview_sessions;") ==
          "a1,a2");
    CHECK(As(db, "authenticated", b, "SELECT count(*) FROM public.interview_responses;") == "1");
    CHECK(As(db, "authenticated", b, "SELECT email FROM public.profiles;") == "b@x.test");
    // Positive control for the writes below: an own session is inserted.
    CHECK(As(db, "authenticated", a,
             "INSERT INTO public.interview_sessions (user_id, title) VALUES ('" + a +
                 "', 'a3');") == "");
  }
  {  // writes the guards refuse are refused by the policies and grants
    CHECK_THROWS_WITH_AS(As(db, "authenticated", a,
                            "INSERT INTO public.interview_sessions (user_id, title) VALUES ('" + b +
                                "', 'planted');"),
                         doctest::Contains("row-level security"), std::runtime_error);
    // Another user's session cannot take a response.
    const std::string b1 =
        Pg().Query("SELECT id FROM public.interview_sessions WHERE title = 'b1'", db);
    CHECK_THROWS_WITH_AS(
        As(db, "authenticated", a,
           "INSERT INTO public.interview_responses (interview_id, role, content) VALUES ('" + b1 +
               "', 'user', 'x');"),
        doctest::Contains("row-level security"), std::runtime_error);
    // Protected columns: the hooks' figures are the service's to write.
    CHECK_THROWS_WITH_AS(
        As(db, "authenticated", a, "UPDATE public.profiles SET total_xp = 100000;"),
        doctest::Contains("permission denied"), std::runtime_error);
    CHECK(As(db, "authenticated", a, "UPDATE public.profiles SET bio = 'hi' RETURNING bio;") ==
          "hi");
    // Updating another user's row touches nothing.
    CHECK(As(db, "authenticated", a,
             "UPDATE public.interview_sessions SET title = 'x' WHERE title = 'b1' RETURNING id;") ==
          "");
    // The score bounds.
    CHECK_THROWS_WITH_AS(
        As(db, "authenticated", a, "UPDATE public.interview_sessions SET overall_score = 100.5;"),
        doctest::Contains("interview_sessions_overall_score_check"), std::runtime_error);
  }
  {  // anon reads the leaderboard and nothing else, service_role everything
    CHECK(As(db, "anon", "", "SELECT count(*) FROM public.leaderboard;") == "2");
    CHECK(As(db, "anon", "", "SELECT count(*) FROM public.interview_sessions;") == "0");
    CHECK(As(db, "anon", "", "SELECT count(*) FROM public.profiles;") == "0");
    CHECK_THROWS_WITH_AS(
        As(db, "anon", "", "INSERT INTO public.leaderboard (user_id) VALUES ('" + a + "');"),
        doctest::Contains("row-level security"), std::runtime_error);
    CHECK(As(db, "service_role", "", "SELECT count(*) FROM public.interview_sessions;") == "4");
  }
  {  // storage: a user's folder in interview-audio is theirs alone
    Pg().Query("INSERT INTO storage.objects (bucket_id, name) VALUES ('interview-audio', '" + a +
                   "/one.webm'), ('interview-audio', '" + b + "/two.webm');",
               db);
    CHECK(As(db, "authenticated", a, "SELECT name FROM storage.objects;") == a + "/one.webm");
    CHECK(As(db, "anon", "", "SELECT count(*) FROM storage.objects;") == "0");
  }
}

TEST_CASE("export postgres: refused without a database, with another format or a newer schema") {
  ib::testing::ScratchDir scratch;
  const std::string out = scratch.path() + "/out";
  const auto missing = RunBinary({"export", "postgres", out, "--db", scratch.path() + "/none.db"});
  CHECK(missing.status == 1);
  CHECK_FALSE(std::filesystem::exists(out + "/schema.sql"));
  const auto format = RunBinary({"export", "mysql", out, "--db", scratch.path() + "/none.db"});
  CHECK(format.status == 2);
  const auto no_dir = RunBinary({"export", "postgres", "--db", scratch.path() + "/none.db"});
  CHECK(no_dir.status == 2);
  // Positive control: an interviewbase database exports.
  ServerProcess server(FastPasswords());
  CHECK(Export(server.db_path(), out) == 0);
  CHECK(std::filesystem::exists(out + "/schema.sql"));
  CHECK(std::filesystem::exists(out + "/data.sql"));
  // A database newer than this binary is refused, and the files already there stay as they were.
  server.Stop();
  const std::string newer = scratch.path() + "/newer.db";
  std::filesystem::copy_file(server.db_path(), newer);
  {
    SQLite::Database file(newer, SQLite::OPEN_READWRITE);
    file.exec("PRAGMA user_version = 9999");
  }
  const std::string before = ReadExportFile(out + "/data.sql");
  const auto refused = RunBinary({"export", "postgres", out, "--db", newer});
  CHECK(refused.status == 1);
  CHECK(ReadExportFile(out + "/data.sql") == before);
  const auto files = std::distance(std::filesystem::directory_iterator(out),
                                   std::filesystem::directory_iterator());
  CHECK(files == 3);  // schema.sql, data.sql, storage/: no temporary or snapshot left behind
}

namespace {

// Postgres prints a timestamp's fraction without trailing zeros, we print six digits.
json Normalized(const json& value) {
  static const std::regex ts(R"((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00:00)");
  if (value.is_string()) {
    std::smatch m;
    const std::string s = value.get<std::string>();
    if (!std::regex_match(s, m, ts)) return value;
    std::string frac = m[2].str();
    frac.resize(6, '0');
    return m[1].str() + "." + frac + "+00:00";
  }
  if (value.is_array() || value.is_object()) {
    json out = value;
    for (auto& item : out) item = Normalized(item);
    return out;
  }
  return value;
}

// Writes through the API as `token`; the row written.
json PostRow(const ServerProcess& s, const std::string& token, const std::string& table,
             const json& row) {
  const auto r =
      s.Send("POST", "/rest/v1/" + table, token, row.dump(), {{"Prefer", "return=representation"}});
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return r.json()[0];
}

// One user's interview: a session with awkward text, completed, with a response, analytics,
// feedback, a practice attempt and progress; the completion's hooks add achievements, streaks,
// leaderboard and profile figures.
void Interview(const ServerProcess& s, const std::string& uid, const std::string& title) {
  const std::string token = ServerProcess::Token("authenticated", uid);
  const json session = PostRow(s, token, "interview_sessions",
                               {{"user_id", uid},
                                {"title", title},
                                {"metadata", {{"note", "tab\there, newline\nthere, back\\slash"}}},
                                {"questions", json::array({"Why?", "N\\A"})}});
  const std::string id = session["id"];
  PostRow(s, token, "interview_responses",
          {{"interview_id", id},
           {"role", "user"},
           {"content", "line one\r\nline two"},
           {"confidence", 0.87},
           {"sequence_number", 1}});
  PostRow(s, token, "voice_analytics",
          {{"interview_id", id}, {"clarity_score", 88.456}, {"filler_words_count", 3}});
  PostRow(s, token, "interview_feedback",
          {{"interview_id", id},
           {"user_id", uid},
           {"overall_score", 87.5},
           {"scores", json::array({{{"skill", "sql"}, {"score", 9}}})}});
  PostRow(s, token, "practice_attempts",
          {{"user_id", uid},
           {"score", 70},
           {"strengths", json::array({"a \"quoted\" one", "x,y", "NULL", "back\\slash"})}});
  PostRow(s, token, "user_progress", {{"user_id", uid}, {"category", "db"}, {"skill", "sql"}});
  const auto done = s.Send("PATCH", "/rest/v1/interview_sessions?id=eq." + id, token,
                           json({{"status", "completed"}, {"overall_score", 91.25}}).dump());
  REQUIRE_MESSAGE(done.status == 204, done.body);
  const auto profile =
      s.Send("PATCH", "/rest/v1/profiles?id=eq." + uid, token,
             json({{"tech_stack", json::array({"c++", "{braces}", ""})}, {"bio", nullptr}}).dump());
  REQUIRE_MESSAGE(profile.status == 204, profile.body);
}

}  // namespace

TEST_CASE("export postgres: data.sql loads after schema.sql and every row equals ours") {
  if (!Pg().available()) {
    MESSAGE("SKIPPED: PostgreSQL is not available: " << Pg().why());
    return;
  }
  ib::testing::ScratchDir scratch;
  ServerProcess server(FastPasswords());
  const std::string a = server.CreateUser("a@x.test", "password-of-a");
  const std::string b = server.CreateUser("b@x.test", "password-of-b");
  Interview(server, a, "Tabs\tand\nnewlines \\ in a title");
  Interview(server, b, "Plain");

  const std::string out = scratch.path() + "/out";
  REQUIRE(Export(server.db_path(), out) == 0);
  const std::string db = FreshDatabase();
  Pg().Query(ReadExportFile(out + "/schema.sql"), db);
  Pg().Query(ReadExportFile(out + "/data.sql"), db);

  const httplib::Headers service = {{"apikey", server.service_key()}};
  for (const char* table : {"profiles", "practice_attempts", "interview_sessions",
                            "interview_responses", "interview_feedback", "voice_analytics",
                            "achievements", "user_progress", "leaderboard", "streaks"}) {
    CAPTURE(table);
    const auto ours = server.Send("GET", std::string("/rest/v1/") + table + "?order=id",
                                  server.service_key(), "", service);
    REQUIRE(ours.status == 200);
    const json theirs = json::parse(Pg().Query(
        std::string("SELECT coalesce(json_agg(t ORDER BY id), '[]') FROM public.") + table + " t",
        db));
    CHECK(!ours.json().empty());
    CHECK(Normalized(theirs) == Normalized(ours.json()));
  }

  // GoTrue's rows: the hash verifies the user's password there as here.
  const std::string hash =
      Pg().Query("SELECT encrypted_password FROM auth.users WHERE id = '" + a + "'", db);
  CHECK(crypto_pwhash_str_verify(hash.c_str(), "password-of-a", 13) == 0);
  CHECK(crypto_pwhash_str_verify(hash.c_str(), "password-of-b", 13) != 0);
  CHECK(
      Pg().Query("SELECT aud || ' ' || role || ' ' || email FROM auth.users WHERE id = '" + b + "'",
                 db) == "authenticated authenticated b@x.test");
  CHECK(Pg().Query("SELECT provider || ' ' || provider_id || ' ' || (identity_data ->> 'sub') || "
                   "' ' || email FROM auth.identities WHERE user_id = '" +
                       a + "'",
                   db) == "email " + a + " " + a + " a@x.test");
  // The loaded rows obey the policies: each user sees their own.
  CHECK(As(db, "authenticated", a, "SELECT count(*) FROM public.interview_responses;") == "1");
  CHECK(As(db, "authenticated", b, "SELECT title FROM public.interview_sessions;") == "Plain");
  CHECK(As(db, "anon", "", "SELECT count(*) FROM public.leaderboard;") == "2");
  // The sessions already awarded came along, so a later update there awards nothing again.
  CHECK(Pg().Query("SELECT count(*) FROM private.ib_completed_sessions", db) == "2");
}
