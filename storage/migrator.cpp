#include "storage/migrator.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "storage/db.h"
#include "storage/error.h"

namespace ib::storage {

int LatestVersion(const std::vector<Migration>& migrations) {
  int latest = 0;
  for (const auto& m : migrations) latest = std::max(latest, m.version);
  return latest;
}

namespace {

// SQLite's way to change a table it cannot ALTER (a CHECK added, for one) is to rebuild it:
// create the new table, copy, drop the old one, rename. With foreign keys on, that DROP would
// delete (cascade) every child row, so they are off while migrating, and PRAGMA foreign_keys
// cannot change inside a transaction: it is set around the whole run and restored after.
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(SQLite::Database& db) : db_(db) { db_.exec("PRAGMA foreign_keys=OFF"); }
  ~ForeignKeysOff() {
    try {
      db_.exec("PRAGMA foreign_keys=ON");
    } catch (const SQLite::Exception& e) {
      std::fprintf(stderr, "cannot turn foreign keys back on: %s\n", e.what());
    }
  }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  SQLite::Database& db_;
};

std::string NewerSchemaMessage(int found, int known) {
  return "the database has schema version " + std::to_string(found) +
         ", newer than this interviewbase knows (" + std::to_string(known) +
         "): use a newer interviewbase; nothing was changed";
}

bool HasRecord(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
  q.bind(1, kMigrationsTable);
  return q.executeStep();
}

// Creates the record of applied versions. A database made before it existed was migrated by
// user_version alone, which applied every version up to it in order: those count as applied.
void CreateRecord(SQLite::Database& db, int user_version,
                  const std::vector<Migration>& migrations) {
  SQLite::Transaction tx(db);
  db.exec(std::string("CREATE TABLE ") + kMigrationsTable +
          " (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL,"
          " applied_at TIMESTAMPTZ NOT NULL DEFAULT (now()))");
  for (const auto& m : migrations) {
    if (m.version > user_version) continue;
    SQLite::Statement insert(
        db, std::string("INSERT INTO ") + kMigrationsTable + " (version, name) VALUES (?, ?)");
    insert.bind(1, m.version);
    insert.bind(2, m.name);
    insert.exec();
  }
  tx.commit();
}

std::set<int> AppliedVersions(SQLite::Database& db) {
  std::set<int> applied;
  SQLite::Statement q(db, std::string("SELECT version FROM ") + kMigrationsTable);
  while (q.executeStep()) applied.insert(q.getColumn(0).getInt());
  return applied;
}

// One transaction per migration: a failing file leaves no half-created schema, and the record
// and user_version move only together with the DDL they describe.
void Apply(SQLite::Database& db, const Migration& m, int user_version) {
  SQLite::Transaction tx(db);
  db.exec(m.sql);
  // The keys were not enforced while it ran: it commits only if they all still hold.
  SQLite::Statement broken(db, "PRAGMA foreign_key_check");
  if (broken.executeStep()) {
    throw Error::Internal("migration " + m.name + " failed: it breaks a foreign key of " +
                          broken.getColumn(0).getString());
  }
  SQLite::Statement record(
      db, std::string("INSERT INTO ") + kMigrationsTable + " (version, name) VALUES (?, ?)");
  record.bind(1, m.version);
  record.bind(2, m.name);
  record.exec();
  db.exec("PRAGMA user_version = " + std::to_string(std::max(user_version, m.version)));
  tx.commit();
}

}  // namespace

int Migrate(SQLite::Database& db, const std::vector<Migration>& migrations) {
  // A migration may call our SQL functions (0013 does), whoever opened the connection.
  RegisterSqlFunctions(db.getHandle());
  int current = db.execAndGet("PRAGMA user_version").getInt();
  const int latest = LatestVersion(migrations);
  if (current > latest) throw Error::Internal(NewerSchemaMessage(current, latest));
  try {
    if (!HasRecord(db)) CreateRecord(db, current, migrations);
    const std::set<int> applied = AppliedVersions(db);
    std::vector<const Migration*> missing;
    for (const auto& m : migrations) {
      if (applied.count(m.version) == 0) missing.push_back(&m);
    }
    if (missing.empty()) return current;
    std::sort(missing.begin(), missing.end(),
              [](const Migration* a, const Migration* b) { return a->version < b->version; });
    ForeignKeysOff keys_off(db);
    for (const Migration* m : missing) {
      try {
        Apply(db, *m, current);
      } catch (const SQLite::Exception& e) {
        throw Error::Internal("migration " + m->name + " failed: " + e.what());
      }
      current = std::max(current, m->version);
    }
  } catch (const SQLite::Exception& e) {
    throw Error::Internal(std::string("cannot read the applied migrations: ") + e.what());
  }
  return current;
}

bool StoredFileHasUsers(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) {
    return false;
  }
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    if (db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'auth_users'").getInt() ==
        0) {
      return false;
    }
    return db.execAndGet("SELECT EXISTS (SELECT 1 FROM auth_users)").getInt() != 0;
  } catch (const SQLite::Exception& e) {
    throw Error::Internal("cannot read database " + path + ": " + e.what());
  }
}

int StoredSchemaVersion(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) return 0;
  // With a non-empty WAL beside it, the newest header may be in the WAL: ask SQLite, read-only
  // (a reader never writes the main file). Without one, the header on disk is the truth, and
  // reading its bytes creates no -shm or -wal file.
  if (std::filesystem::exists(path + "-wal", ec) &&
      std::filesystem::file_size(path + "-wal", ec) > 0) {
    try {
      SQLite::Database db(path, SQLite::OPEN_READONLY);
      return db.execAndGet("PRAGMA user_version").getInt();
    } catch (const SQLite::Exception& e) {
      throw Error::Internal("cannot read database " + path + ": " + e.what());
    }
  }
  char header[100] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(header, sizeof header) || std::memcmp(header, "SQLite format 3", 16) != 0) {
    throw Error::Internal("cannot read database " + path + ": not a SQLite database");
  }
  // The database header keeps user_version big-endian at offset 60.
  const auto* b = reinterpret_cast<const unsigned char*>(header + 60);
  return static_cast<int>((static_cast<uint32_t>(b[0]) << 24) |
                          (static_cast<uint32_t>(b[1]) << 16) | (static_cast<uint32_t>(b[2]) << 8) |
                          static_cast<uint32_t>(b[3]));
}

void RefuseNewerSchema(const std::string& path, int known_version) {
  const int found = StoredSchemaVersion(path);
  if (found > known_version) {
    throw Error::Internal(path + ": " + NewerSchemaMessage(found, known_version));
  }
}

}  // namespace ib::storage
