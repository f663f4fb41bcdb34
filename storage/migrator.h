// Applies the numbered SQL migrations compiled from schema/migrations/, in order, each in its
// own transaction, and records the version in PRAGMA user_version. Applying twice is a no-op.
// Foreign keys are off while migrating and checked whole before each commit, as SQLite's
// procedure for rebuilding a table requires (a DROP TABLE would otherwise cascade).
// Runs once at start, before the server accepts requests; not thread-safe with other writers.
#pragma once

#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace ib::storage {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The migrations embedded in the binary (generated at build time), sorted by version.
const std::vector<Migration>& EmbeddedMigrations();

// Applies every migration newer than the database's user_version. Returns the resulting
// version. Throws Error (500) if a migration fails; that migration leaves nothing behind.
int Migrate(SQLite::Database& db, const std::vector<Migration>& migrations);

// The newest version among `migrations` (0 if none).
int LatestVersion(const std::vector<Migration>& migrations);

}  // namespace ib::storage
