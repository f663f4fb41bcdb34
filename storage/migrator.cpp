#include "storage/migrator.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "storage/error.h"

namespace ib::storage {

int LatestVersion(const std::vector<Migration>& migrations) {
  int latest = 0;
  for (const auto& m : migrations) latest = std::max(latest, m.version);
  return latest;
}

int Migrate(SQLite::Database& db, const std::vector<Migration>& migrations) {
  int current = db.execAndGet("PRAGMA user_version").getInt();
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    try {
      // One transaction per migration: a failing file leaves no half-created schema, and
      // user_version moves only together with the DDL it describes.
      SQLite::Transaction tx(db);
      db.exec(m.sql);
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
