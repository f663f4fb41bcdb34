// Applies the numbered SQL migrations compiled from schema/migrations/, each in its own
// transaction, and records every applied version in ib_schema_migrations (PRAGMA user_version
// holds the highest). Any known version missing from that record is applied, in order, even
// below the highest; applying twice is a no-op. A database newer than the binary is refused.
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

// The bookkeeping table of applied versions (never exposed, kept by a reset).
inline constexpr const char* kMigrationsTable = "ib_schema_migrations";

// Applies every migration whose version is not recorded as applied. Returns the resulting
// version (the highest applied). A database from before the record existed counts every
// version up to its user_version as applied (the earlier migrator applied them in order).
// Throws Error (500) if a migration fails (that migration leaves nothing behind) and, changing
// nothing, if the database's version is newer than every migration given.
int Migrate(SQLite::Database& db, const std::vector<Migration>& migrations);

// The newest version among `migrations` (0 if none).
int LatestVersion(const std::vector<Migration>& migrations);

// The schema version (user_version) of the database file at `path`, read without writing to it
// or creating anything beside it; 0 when the file does not exist or is empty. Throws Error when
// the file is not a SQLite database.
int StoredSchemaVersion(const std::string& path);

// Whether the database file at `path` holds any auth user, read-only (the main file is never
// written); false when the file or its auth_users table does not exist. For refusals that must
// leave an older file unmigrated (the demo's).
bool StoredFileHasUsers(const std::string& path);

// Throws Error (its message names both versions and says nothing was changed) when the
// database at `path` has a schema newer than `known_version`. Call before opening it to write.
void RefuseNewerSchema(const std::string& path, int known_version);

}  // namespace ib::storage
