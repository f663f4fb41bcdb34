#include "storage/sqlite_process.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

// The main() of the server calls it first; here SQLite has already been initialised by other
// cases (or is now), so the setting must be refused and SQLite keep working with its default.
TEST_CASE("sqlite process settings: refused once SQLite is initialised, and harmless") {
  REQUIRE(sqlite3_initialize() == SQLITE_OK);
  CHECK_FALSE(ib::storage::ConfigureSqliteProcess());
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", nullptr, nullptr,
                     nullptr) == SQLITE_OK);
  sqlite3_close(db);
}
