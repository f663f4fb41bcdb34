#include "storage/migrator.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "storage/db.h"
#include "storage/error.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_db.h"

using ib::storage::Migration;

TEST_CASE("schema: applying the migrations twice is a no-op") {
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  int v1 = ib::storage::Migrate(sql, ib::storage::EmbeddedMigrations());
  CHECK(v1 == ib::storage::LatestVersion(ib::storage::EmbeddedMigrations()));
  int tables = sql.execAndGet("SELECT count(*) FROM sqlite_schema").getInt();
  int v2 = ib::storage::Migrate(sql, ib::storage::EmbeddedMigrations());
  CHECK(v2 == v1);
  CHECK(sql.execAndGet("SELECT count(*) FROM sqlite_schema").getInt() == tables);
  CHECK(sql.execAndGet("PRAGMA user_version").getInt() == v1);
}

TEST_CASE("schema: a failing migration leaves nothing behind") {
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  std::vector<Migration> ms = {{1, "0001_ok.sql", "CREATE TABLE a (x INT);"},
                               {2, "0002_bad.sql", "CREATE TABLE b (y INT); SELECT * FROM nope;"}};
  CHECK_THROWS_AS(ib::storage::Migrate(sql, ms), ib::storage::Error);
  CHECK(sql.execAndGet("PRAGMA user_version").getInt() == 1);
  CHECK(sql.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'b'").getInt() == 0);
  CHECK(sql.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'a'").getInt() == 1);
}

TEST_CASE("schema: deleting an auth user cascades to the rows the user owns") {
  ib::testing::TestDb t;
  std::string uid = t.AddUser("cascade@example.com");
  t.Scalar("INSERT INTO profiles (id, email) VALUES (?, ?)", {uid, std::string("c@example.com")});
  auto sid = std::get<std::string>(t.Scalar(
      "INSERT INTO interview_sessions (user_id, title) VALUES (?, 'x') RETURNING id", {uid}));
  t.Scalar("INSERT INTO interview_responses (interview_id, role, content) VALUES (?, 'user', 'hi')",
           {sid});
  t.Scalar("DELETE FROM auth_users WHERE id = ?", {uid});
  for (const char* table : {"profiles", "interview_sessions", "interview_responses"}) {
    CAPTURE(table);
    CHECK(std::get<int64_t>(t.Scalar(std::string("SELECT count(*) FROM ") + table)) == 0);
  }
}

TEST_CASE("schema: defaults are random v4 uuids and canonical timestamps") {
  ib::testing::TestDb t;
  std::string uid = t.AddUser("defaults@example.com");
  CHECK(uid.size() == 36);
  CHECK(uid[14] == '4');
  auto created =
      std::get<std::string>(t.Scalar("SELECT created_at FROM auth_users WHERE id = ?", {uid}));
  CHECK(created.size() == 32);
  CHECK(created.substr(26) == "+00:00");
  CHECK(created[10] == 'T');
}

TEST_CASE("schema: connections use WAL-ready pragmas and enforce foreign keys") {
  ib::testing::TestDb t;
  CHECK(std::get<int64_t>(t.Scalar("PRAGMA foreign_keys")) == 1);
  CHECK_THROWS_AS(t.Scalar("INSERT INTO interview_sessions (user_id, title) VALUES "
                           "('00000000-0000-4000-8000-000000000000', 'x')"),
                  ib::storage::Error);
}

namespace {

// Applies the embedded migrations up to `version`: a database as that version left it.
int MigrateUpTo(SQLite::Database& sql, int version) {
  std::vector<Migration> older;
  for (const auto& m : ib::storage::EmbeddedMigrations()) {
    if (m.version <= version) older.push_back(m);
  }
  return ib::storage::Migrate(sql, older);
}

}  // namespace

TEST_CASE("schema: 0006 adds the score CHECKs by rebuilding tables, keeping rows and children") {
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  REQUIRE(MigrateUpTo(sql, 5) == 5);
  // Version 5 data, a score out of range among it (what earlier versions let through).
  sql.exec(
      "INSERT INTO auth_users (id, email) VALUES ('u1', 'u1@x.io');"
      "INSERT INTO interview_sessions (id, user_id, title, status, overall_score, technical_score)"
      "  VALUES ('s1', 'u1', 'one', 'completed', 999.99, 50.5), ('s2', 'u1', 'two', 'pending',"
      "  -3, NULL);"
      "INSERT INTO ib_completed_sessions (session_id, user_id) VALUES ('s1', 'u1');"
      "INSERT INTO interview_responses (interview_id, role, content) VALUES ('s1', 'user', 'hi');"
      "INSERT INTO interview_feedback (id, interview_id, user_id, overall_score)"
      "  VALUES ('f1', 's1', 'u1', 87.25);"
      "INSERT INTO voice_analytics (interview_id, clarity_score, pace_score)"
      "  VALUES ('s2', 101, 12.5);");
  const int indexes_before =
      sql.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'index'").getInt();

  CHECK(ib::storage::Migrate(sql, ib::storage::EmbeddedMigrations()) >= 6);
  // Children of the rebuilt interview_sessions kept their rows (no cascade on the DROP).
  for (const char* table :
       {"interview_responses", "ib_completed_sessions", "interview_feedback", "voice_analytics"}) {
    CAPTURE(table);
    CHECK(sql.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt() == 1);
  }
  CHECK(
      sql.execAndGet("SELECT overall_score FROM interview_sessions WHERE id = 's1'").getDouble() ==
      100);
  CHECK(
      sql.execAndGet("SELECT overall_score FROM interview_sessions WHERE id = 's2'").getDouble() ==
      0);
  CHECK(sql.execAndGet("SELECT technical_score FROM interview_sessions WHERE id = 's1'")
            .getDouble() == 50.5);
  CHECK(sql.execAndGet("SELECT communication_score IS NULL FROM interview_sessions WHERE id = "
                       "'s1'")
            .getInt() == 1);
  CHECK(sql.execAndGet("SELECT overall_score FROM interview_feedback").getDouble() == 87.25);
  CHECK(sql.execAndGet("SELECT clarity_score FROM voice_analytics").getDouble() == 100);
  CHECK(sql.execAndGet("SELECT pace_score FROM voice_analytics").getDouble() == 12.5);
  CHECK(sql.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'index'").getInt() ==
        indexes_before);
  // Foreign keys are enforced again, and still point at the rebuilt table.
  CHECK(sql.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK_THROWS(
      sql.exec("INSERT INTO interview_responses (interview_id, role, content) VALUES "
               "('nope', 'user', 'x')"));
  sql.exec("DELETE FROM interview_sessions WHERE id = 's1'");
  CHECK(sql.execAndGet("SELECT count(*) FROM interview_responses").getInt() == 0);
  CHECK(sql.execAndGet("SELECT count(*) FROM ib_completed_sessions").getInt() == 0);
  // And the bounds hold from now on.
  CHECK_THROWS_WITH(sql.exec("UPDATE interview_sessions SET overall_score = 100.01"),
                    doctest::Contains("interview_sessions_overall_score_check"));
  sql.exec("UPDATE interview_sessions SET overall_score = 100");
}

TEST_CASE("schema: 0009 rewrites the role CHECK by rebuilding interview_responses") {
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  REQUIRE(MigrateUpTo(sql, 8) == 8);
  // Version 8 data: responses with rowids out of insertion order, every column set on one.
  sql.exec(
      "INSERT INTO auth_users (id, email) VALUES ('u1', 'u1@x.io');"
      "INSERT INTO interview_sessions (id, user_id, title) VALUES ('s1', 'u1', 'one');"
      "INSERT INTO interview_responses (rowid, id, interview_id, role, content, timestamp,"
      "  confidence, stage, analysis, sequence_number, created_at) VALUES"
      "  (40, 'r1', 's1', 'assistant', 'Tell me about yourself.', '2026-01-01T00:00:00Z', 0.75,"
      "   'intro', '{\"k\":1}', 1, '2026-01-01T00:00:01Z'),"
      "  (7, 'r2', 's1', 'user', 'I build databases.', NULL, NULL, NULL, NULL, 2, NULL);");
  const std::string before =
      sql.execAndGet(
             "SELECT group_concat(json_array(rowid, id, interview_id, role, content, "
             "timestamp, confidence, stage, analysis, sequence_number, created_at), ';') "
             "FROM (SELECT rowid, * FROM interview_responses ORDER BY rowid)")
          .getString();

  CHECK(ib::storage::Migrate(sql, ib::storage::EmbeddedMigrations()) >= 9);
  CHECK(sql.execAndGet("SELECT group_concat(json_array(rowid, id, interview_id, role, content, "
                       "timestamp, confidence, stage, analysis, sequence_number, created_at), "
                       "';') FROM (SELECT rowid, * FROM interview_responses ORDER BY rowid)")
            .getString() == before);
  CHECK(sql.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = "
                       "'interview_responses_interview_id_idx'")
            .getInt() == 1);
  // The same answers as the IN list: the three roles pass, anything else fails by name.
  for (const char* role : {"user", "assistant", "system"}) {
    CAPTURE(role);
    sql.exec(std::string("INSERT INTO interview_responses (interview_id, role, content) VALUES "
                         "('s1', '") +
             role + "', 'x')");
  }
  for (const char* role : {"User", "user ", "", "admin"}) {
    CAPTURE(role);
    CHECK_THROWS_WITH(
        sql.exec(std::string("INSERT INTO interview_responses (interview_id, role, content) "
                             "VALUES ('s1', '") +
                 role + "', 'x')"),
        doctest::Contains("interview_responses_role_check"));
  }
  CHECK_THROWS(
      sql.exec("INSERT INTO interview_responses (interview_id, role, content) VALUES "
               "('s1', NULL, 'x')"));
  // Foreign keys still point at interview_sessions and cascade.
  CHECK_THROWS(
      sql.exec("INSERT INTO interview_responses (interview_id, role, content) VALUES "
               "('nope', 'user', 'x')"));
  sql.exec("DELETE FROM interview_sessions WHERE id = 's1'");
  CHECK(sql.execAndGet("SELECT count(*) FROM interview_responses").getInt() == 0);
}

TEST_CASE("schema: no table's constraints build an ephemeral index when a row is written") {
  // SQLite checks `x IN (a, b, c)` through an index it builds on every execution of the
  // statement (0009): a constraint must not cost every insert and update that.
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  ib::storage::Migrate(sql, ib::storage::EmbeddedMigrations());
  SQLite::Statement tables(sql,
                           "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE "
                           "'%CHECK%' AND name NOT LIKE 'sqlite%'");
  int checked = 0;
  while (tables.executeStep()) {
    const std::string table = tables.getColumn(0).getString();
    CAPTURE(table);
    // The update writes every column (so every CHECK is evaluated) of one row by its rowid.
    std::string update = "EXPLAIN UPDATE \"" + table + "\" SET ";
    SQLite::Statement columns(sql, "SELECT name FROM pragma_table_info(?)");
    columns.bind(1, table);
    for (int i = 0; columns.executeStep(); ++i) {
      const std::string column = "\"" + columns.getColumn(0).getString() + "\"";
      update += (i ? ", " : "") + column + " = " + column;
    }
    update += " WHERE rowid = 1";
    for (const std::string& statement :
         {"EXPLAIN INSERT INTO \"" + table + "\" DEFAULT VALUES", update}) {
      SQLite::Statement program(sql, statement);
      while (program.executeStep()) {
        CHECK(program.getColumn(1).getString() != "OpenEphemeral");
      }
    }
    ++checked;
  }
  CHECK(checked >= 4);
}

TEST_CASE("schema: a migration that breaks a foreign key is refused whole") {
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  std::vector<Migration> ms = {
      {1, "0001_parent.sql", "CREATE TABLE p (id INT PRIMARY KEY);"},
      {2, "0002_orphan.sql",
       "CREATE TABLE c (p_id INT REFERENCES p(id)); INSERT INTO c VALUES (7);"}};
  CHECK_THROWS_WITH(ib::storage::Migrate(sql, ms), doctest::Contains("breaks a foreign key"));
  CHECK(sql.execAndGet("PRAGMA user_version").getInt() == 1);
  CHECK(sql.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'c'").getInt() == 0);
  CHECK(sql.execAndGet("PRAGMA foreign_keys").getInt() == 1);
}

namespace {

const std::vector<Migration> kThree = {{1, "0001_a.sql", "CREATE TABLE a (x INT);"},
                                       {2, "0002_b.sql", "CREATE TABLE b (y INT);"},
                                       {3, "0003_c.sql", "CREATE TABLE c (z INT);"}};

int CountTables(SQLite::Database& sql, const std::string& names) {
  return sql.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name IN (" + names + ")")
      .getInt();
}

}  // namespace

TEST_CASE("schema: a version missing below the highest applied one is applied") {
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  // A database that got 1 and 3 but not 2 (3 came from a build that had no 2 yet).
  REQUIRE(ib::storage::Migrate(sql, {kThree[0], kThree[2]}) == 3);
  CHECK(CountTables(sql, "'b'") == 0);
  CHECK(ib::storage::Migrate(sql, kThree) == 3);
  CHECK(CountTables(sql, "'a', 'b', 'c'") == 3);
  CHECK(sql.execAndGet("SELECT group_concat(version) FROM (SELECT version FROM "
                       "ib_schema_migrations ORDER BY version)")
            .getString() == "1,2,3");
  CHECK(sql.execAndGet("PRAGMA user_version").getInt() == 3);
  // Nothing is missing now: a second run applies nothing (a re-run of 2 would fail: b exists).
  CHECK(ib::storage::Migrate(sql, kThree) == 3);
}

TEST_CASE("schema: a database from before the record counts its user_version as applied") {
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  // What the earlier migrator left: versions 1 and 2 applied, only user_version says so.
  sql.exec("CREATE TABLE a (x INT); CREATE TABLE b (y INT); PRAGMA user_version = 2;");
  CHECK(ib::storage::Migrate(sql, kThree) == 3);
  CHECK(CountTables(sql, "'c'") == 1);
  CHECK(sql.execAndGet("SELECT count(*) FROM ib_schema_migrations").getInt() == 3);
}

TEST_CASE("schema: a database newer than the binary is refused and left unchanged") {
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  sql.exec("PRAGMA user_version = 4");
  CHECK_THROWS_WITH(ib::storage::Migrate(sql, kThree),
                    doctest::Contains("schema version 4, newer than this interviewbase knows (3)"));
  CHECK(sql.execAndGet("SELECT count(*) FROM sqlite_schema").getInt() == 0);
  CHECK(sql.execAndGet("PRAGMA user_version").getInt() == 4);
  // The positive control: at the binary's own version it migrates.
  sql.exec("PRAGMA user_version = 0");
  CHECK(ib::storage::Migrate(sql, kThree) == 3);
}

TEST_CASE("schema: the stored version is read from the file header without writing") {
  ib::testing::ScratchDir dir;
  const std::string path = dir.path() + "/v.db";
  CHECK(ib::storage::StoredSchemaVersion(path) == 0);  // absent
  {
    SQLite::Database file(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    file.exec("CREATE TABLE t (x INT); PRAGMA user_version = 70000");
  }
  CHECK(ib::storage::StoredSchemaVersion(path) == 70000);
  CHECK_THROWS_WITH(ib::storage::RefuseNewerSchema(path, 7),
                    doctest::Contains("nothing was changed"));
  CHECK_NOTHROW(ib::storage::RefuseNewerSchema(path, 70000));
  CHECK_FALSE(std::filesystem::exists(path + "-shm"));
  {
    std::ofstream junk(dir.path() + "/junk.db");
    junk << "this is not a database, just text long enough to have a header of a hundred bytes "
            "and then some more text";
  }
  CHECK_THROWS_WITH(ib::storage::StoredSchemaVersion(dir.path() + "/junk.db"),
                    doctest::Contains("not a SQLite database"));
}

TEST_CASE("migrator: StoredFileHasUsers reads a file's auth users without migrating it") {
  ib::testing::ScratchDir dir;
  const std::string path = dir.path() + "/u.db";
  CHECK_FALSE(ib::storage::StoredFileHasUsers(path));  // absent
  {
    SQLite::Database file(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    file.exec("CREATE TABLE t (x INT); PRAGMA user_version = 1");
  }
  CHECK_FALSE(ib::storage::StoredFileHasUsers(path));  // no auth_users table
  const std::string ours = dir.path() + "/ours.db";
  {
    ib::testing::TestDb db(ours);
    CHECK_FALSE(ib::storage::StoredFileHasUsers(ours));  // our schema, no user yet
    db.AddUser("someone@example.com");
  }
  CHECK(ib::storage::StoredFileHasUsers(ours));
  CHECK(ib::storage::StoredSchemaVersion(path) == 1);  // the first file was only read
}

TEST_CASE("schema: 0013 rewrites stored jsonb objects in jsonb's key order, nothing else") {
  ib::storage::Db db(":memory:");
  ib::storage::Db::WriteLease lease(db);
  auto& sql = lease.conn().db();
  REQUIRE(MigrateUpTo(sql, 12) == 12);
  // Version 12 data, stored in plain bytewise key order as before.
  sql.exec(
      "INSERT INTO auth_users (id, email) VALUES ('u1', 'u1@x.io');"
      "INSERT INTO interview_sessions (id, user_id, title, metadata, questions, answers, "
      "  feedback) VALUES ('s1', 'u1', 'one', '{\"aa\":{\"zz\":1,\"y\":[{\"bb\":0,\"c\":1}]},"
      "\"b\":\"x\"}', '[]', '\"plain\"', NULL),"
      "  ('s2', 'u1', 'two', '{\"a\":1,\"bb\":2}', 5, 1.5, '[1,{\"cc\":1,\"d\":2}]');"
      "INSERT INTO streaks (user_id, streak_data) VALUES ('u1', '[\"2026-01-01\"]');");
  const std::string updated_before =
      sql.execAndGet("SELECT group_concat(updated_at) FROM interview_sessions").getString();

  CHECK(ib::storage::Migrate(sql, ib::storage::EmbeddedMigrations()) >= 13);
  const auto text = [&](const char* query) { return sql.execAndGet(query).getString(); };
  CHECK(text("SELECT metadata FROM interview_sessions WHERE id = 's1'") ==
        R"({"b":"x","aa":{"y":[{"c":1,"bb":0}],"zz":1}})");
  CHECK(text("SELECT questions || '|' || answers FROM interview_sessions WHERE id = 's1'") ==
        R"([]|"plain")");
  CHECK(text("SELECT metadata FROM interview_sessions WHERE id = 's2'") == R"({"a":1,"bb":2})");
  CHECK(text("SELECT feedback FROM interview_sessions WHERE id = 's2'") == R"([1,{"d":2,"cc":1}])");
  // Numbers stored as numbers stay numbers; a NULL stays NULL.
  CHECK(text("SELECT typeof(questions) || typeof(answers) FROM interview_sessions WHERE id = "
             "'s2'") == "integerreal");
  CHECK(text("SELECT typeof(feedback) FROM interview_sessions WHERE id = 's1'") == "null");
  CHECK(text("SELECT streak_data FROM streaks") == R"(["2026-01-01"])");
  CHECK(text("SELECT group_concat(updated_at) FROM interview_sessions") == updated_before);
}
