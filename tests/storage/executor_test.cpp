#include "storage/executor.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>
#include <string_view>

#include "storage/error.h"
#include "tests/support/test_db.h"

using ib::storage::Error;

namespace {
Error Caught(int code, const char* message, const char* table = "") {
  try {
    ib::storage::ThrowSqliteError(code, message, table);
  } catch (const Error& e) {
    return e;
  }
  FAIL("ThrowSqliteError returned without throwing");
  return Error::Internal("unreachable");
}
}  // namespace

TEST_CASE("executor: SQLite constraint codes map to Postgres SQLSTATEs") {
  struct Case {
    int code;
    const char* message;
    int status;
    const char* sqlstate;
    const char* text;
  };
  Case cases[] = {
      {SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: profiles.email", 409, "23505",
       "duplicate key value violates unique constraint \"profiles_email_key\""},
      {SQLITE_CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: profiles.id", 409, "23505",
       "duplicate key value violates unique constraint \"profiles_pkey\""},
      {SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed", 409, "23503",
       "insert or update on table \"t\" violates foreign key constraint"},
      {SQLITE_CONSTRAINT_NOTNULL, "NOT NULL constraint failed: interview_sessions.title", 400,
       "23502",
       "null value in column \"title\" of relation \"interview_sessions\" violates not-null "
       "constraint"},
      {SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed: interview_responses_role_check", 400,
       "23514",
       "new row for relation \"t\" violates check constraint \"interview_responses_role_check\""},
      {SQLITE_IOERR, "disk I/O error", 500, "XX000", "internal database error"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.message);
    Error e = Caught(c.code, c.message, "t");
    CHECK(e.status() == c.status);
    CHECK(e.code() == c.sqlstate);
    CHECK(e.message() == c.text);
  }
  CHECK(Caught(SQLITE_CONSTRAINT_UNIQUE,
               "UNIQUE constraint failed: user_progress.user_id, user_progress.category")
            .details() == std::optional<std::string>("Key (user_id, category) already exists."));
}

TEST_CASE("executor: values are bound, rows come back as typed views") {
  ib::testing::TestDb t;
  ib::storage::Executor ex(t.conn());
  std::vector<std::string> seen;
  ex.Run({"SELECT ?, ?, ?, ?",
          {int64_t{7}, 1.5, std::string("x'; DROP TABLE profiles; --"), ib::storage::SqlValue{}},
          ""},
         [&](const ib::storage::Row& row) {
           CHECK(row[0].integer == 7);
           CHECK(row[1].real == 1.5);
           seen.emplace_back(row[2].text);
           CHECK(row[3].is_null());
         });
  CHECK(seen == std::vector<std::string>{"x'; DROP TABLE profiles; --"});
  CHECK(t.catalog().FindTable("profiles"));
}

TEST_CASE("executor: each storage class keeps its type, and text and blobs their exact bytes") {
  ib::testing::TestDb t;
  ib::storage::Executor ex(t.conn());
  using Type = ib::storage::SqlValueView::Type;
  int rows = 0;
  ex.Run({"SELECT -9007199254740993, -0.25, 'a' || char(0) || 'b', x'00ff41', NULL, ''", {}, ""},
         [&](const ib::storage::Row& row) {
           ++rows;
           CHECK(row[0].type == Type::kInteger);
           CHECK(row[0].integer == -9007199254740993);
           CHECK(row[1].type == Type::kReal);
           CHECK(row[1].real == -0.25);
           CHECK(row[2].type == Type::kText);
           CHECK(row[2].text == std::string_view("a\0b", 3));
           CHECK(row[3].type == Type::kBlob);
           CHECK(row[3].text == std::string_view("\0\xff\x41", 3));
           CHECK(row[4].type == Type::kNull);
           CHECK(row[5].type == Type::kText);
           CHECK(row[5].text.empty());
         });
  CHECK(rows == 1);
}

TEST_CASE("executor: a statement error leaves the statement reusable") {
  ib::testing::TestDb t;
  ib::storage::Executor ex(t.conn());
  std::string uid = t.AddUser("reuse@example.com");
  ib::storage::SqlQuery q{
      "INSERT INTO profiles (id, email) VALUES (?, ?)", {uid, std::string("a@b.c")}, "profiles"};
  ex.Run(q);
  CHECK_THROWS_AS(ex.Run(q), Error);
  q.params[1] = std::string("other@b.c");
  CHECK_THROWS_AS(ex.Run(q), Error);  // same id: still a unique violation, not a stale statement
}
