#include "storage/migrator.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdio>

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

}  // namespace

int Migrate(SQLite::Database& db, const std::vector<Migration>& migrations) {
  int current = db.execAndGet("PRAGMA user_version").getInt();
  if (current >= LatestVersion(migrations)) return current;
  ForeignKeysOff keys_off(db);
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    try {
      // One transaction per migration: a failing file leaves no half-created schema, and
      // user_version moves only together with the DDL it describes.
      SQLite::Transaction tx(db);
      db.exec(m.sql);
      // The keys were not enforced while it ran: it commits only if they all still hold.
      SQLite::Statement broken(db, "PRAGMA foreign_key_check");
      if (broken.executeStep()) {
        throw Error::Internal("migration " + m.name + " failed: it breaks a foreign key of " +
                              broken.getColumn(0).getString());
      }
      db.exec("PRAGMA user_version = " + std::to_string(m.version));
      tx.commit();
    } catch (const SQLite::Exception& e) {
      throw Error::Internal("migration " + m.name + " failed: " + e.what());
    }
    current = m.version;
  }
  return current;
}

}  // namespace ib::storage
