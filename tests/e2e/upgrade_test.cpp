// Upgrades with the real binary: a database made by schema version 1 (only its first
// migration applied, rows inserted as version 1 allowed) is migrated to the newest version at
// start and served correctly; a database newer than the binary is refused, byte for byte
// untouched, with a message and exit status 1.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/auth/passwords.h"
#include "storage/db.h"
#include "storage/migrator.h"
#include "tests/e2e/support/server_process.h"
#include "tests/support/scratch_dir.h"

using ib::e2e::RunBinary;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

constexpr const char* kUser = "0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10";
constexpr const char* kDone = "11111111-1111-4111-8111-111111111111";
constexpr const char* kOpen = "22222222-2222-4222-8222-222222222222";

int Latest() { return ib::storage::LatestVersion(ib::storage::EmbeddedMigrations()); }

// A version 1 database: migration 0001 alone, as a binary of that version made it, with a
// user (password "old-password"), a profile, a completed and an open session with children.
void MakeVersion1(const std::string& path) {
  ib::storage::Db db(path);
  ib::storage::Db::WriteLease lease(db);
  SQLite::Database& sql = lease.conn().db();
  const auto& first = ib::storage::EmbeddedMigrations().at(0);
  REQUIRE(first.version == 1);
  sql.exec(first.sql);
  sql.exec("PRAGMA user_version = 1");
  SQLite::Statement user(sql,
                         "INSERT INTO auth_users (id, email, encrypted_password, "
                         "email_confirmed_at) VALUES (?, 'old@example.com', ?, "
                         "'2025-03-01T10:00:00.000000+00:00')");
  user.bind(1, kUser);
  user.bind(2, ib::auth::HashPassword("old-password", ib::auth::MinimalCost()));
  user.exec();
  sql.exec(std::string("INSERT INTO profiles (id, email, name, tech_stack, total_interviews, "
                       "completed_interviews, average_score, total_xp, preferences) VALUES ('") +
           kUser +
           "', 'old@example.com', 'Old Timer', '[\"go\",\"sql\"]', 2, 1, 87.5, 150, "
           "'{\"theme\":\"dark\"}');"
           "INSERT INTO interview_sessions (id, user_id, title, status, overall_score, "
           "metadata, completed_at) VALUES ('" +
           kDone + "', '" + kUser +
           "', 'System design', 'completed', 87.50, '{\"round\":2}', "
           "'2025-03-02T09:30:00.000000+00:00'), ('" +
           kOpen + "', '" + kUser +
           "', 'Warm-up', 'pending', NULL, '{}', NULL);"
           "INSERT INTO interview_responses (interview_id, role, content, sequence_number) "
           "VALUES ('" +
           kDone + "', 'user', 'héllo\twith a tab', 1);" +
           "INSERT INTO interview_feedback (interview_id, user_id, overall_score, scores) "
           "VALUES ('" +
           kDone + "', '" + kUser + "', 87.50, '[{\"name\":\"depth\",\"score\":4}]');");
}

std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

void SetUserVersion(const std::string& path, int version) {
  SQLite::Database file(path, SQLite::OPEN_READWRITE);
  file.exec("PRAGMA user_version = " + std::to_string(version));
}

}  // namespace

TEST_CASE("upgrade: a version 1 database with data is migrated at start and served") {
  ib::testing::ScratchDir scratch;
  const std::string db = scratch.path() + "/v1.db";
  MakeVersion1(db);
  {
    ServerProcess server(ib::e2e::FastPasswords(), db);
    const std::string service = server.service_key();
    auto sessions = server.Send("GET",
                                "/rest/v1/interview_sessions?select=id,title,status,overall_score,"
                                "metadata,interview_responses(content)&order=title",
                                service, "", {{"apikey", service}});
    REQUIRE(sessions.status == 200);
    const json rows = sessions.json();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["id"] == kDone);
    CHECK(rows[0]["overall_score"] == 87.5);
    CHECK(rows[0]["metadata"] == json{{"round", 2}});
    CHECK(rows[0]["interview_responses"][0]["content"] == "héllo\twith a tab");
    CHECK(rows[1]["id"] == kOpen);
    CHECK(rows[1]["overall_score"].is_null());

    auto profile = server.Send("GET", "/rest/v1/profiles?select=name,tech_stack,average_score",
                               service, "", {{"apikey", service}});
    REQUIRE(profile.status == 200);
    CHECK(profile.json()[0]["tech_stack"] == json{"go", "sql"});
    CHECK(profile.json()[0]["average_score"] == 87.5);

    // The version 1 password hash still signs the user in, and the user sees their rows.
    auto token = server.Send("POST", "/auth/v1/token?grant_type=password", server.anon_key(),
                             R"({"email":"old@example.com","password":"old-password"})");
    REQUIRE(token.status == 200);
    auto mine = server.Send("GET", "/rest/v1/interview_feedback?select=overall_score,scores",
                            token.json()["access_token"]);
    REQUIRE(mine.status == 200);
    CHECK(mine.json() == json::parse(R"([{"overall_score":87.5,"scores":[{"name":"depth",
                                        "score":4}]}])"));
    // A completed version 1 session is not awarded again when it is completed once more.
    auto reopen =
        server.Send("PATCH", std::string("/rest/v1/interview_sessions?id=eq.") + kDone, service,
                    R"({"status":"completed","overall_score":90})", {{"apikey", service}});
    CHECK(reopen.status == 204);
    auto xp =
        server.Send("GET", "/rest/v1/profiles?select=total_xp", service, "", {{"apikey", service}});
    CHECK(xp.json()[0]["total_xp"] == 150);
  }
  SQLite::Database file(db, SQLite::OPEN_READONLY);
  CHECK(file.execAndGet("PRAGMA user_version").getInt() == Latest());
  CHECK(file.execAndGet("SELECT count(*) FROM ib_schema_migrations").getInt() ==
        static_cast<int>(ib::storage::EmbeddedMigrations().size()));
  auto check = RunBinary({"check", "--db", db});
  CHECK_MESSAGE(check.status == 0, check.output);
}

TEST_CASE("upgrade: a database newer than the binary is refused and left byte for byte") {
  ib::testing::ScratchDir scratch;
  const std::string db = scratch.path() + "/newer.db";
  {
    ServerProcess server({}, db);
    CHECK(server.CreateUser("keep@example.com").size() == 36);
  }
  SetUserVersion(db, Latest() + 1);
  const std::string before = Bytes(db);
  REQUIRE_FALSE(std::filesystem::exists(db + "-wal"));

  auto refused = RunBinary({"serve", "--db", db, "--port", "0"});
  CHECK(refused.status == 1);
  CHECK_MESSAGE(refused.output.find("schema version " + std::to_string(Latest() + 1) +
                                    ", newer than this interviewbase knows (" +
                                    std::to_string(Latest()) + ")") != std::string::npos,
                refused.output);
  CHECK(refused.output.find("use a newer interviewbase") != std::string::npos);
  CHECK(refused.output.find("listening on") == std::string::npos);
  CHECK(Bytes(db) == before);
  CHECK_FALSE(std::filesystem::exists(db + "-wal"));
  CHECK_FALSE(std::filesystem::exists(db + "-shm"));

  // The positive control: at the binary's own version the same file is served.
  SetUserVersion(db, Latest());
  ServerProcess server({}, db);
  auto users = server.Send("GET", "/auth/v1/admin/users", server.service_key());
  CHECK(users.status == 200);
}
