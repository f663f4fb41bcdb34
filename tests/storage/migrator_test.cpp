#include "storage/migrator.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "storage/db.h"
#include "storage/error.h"
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
