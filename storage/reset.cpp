#include "storage/reset.h"

#include <string>
#include <vector>

#include "storage/catalog.h"
#include "storage/db.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/migrator.h"
#include "storage/unit_of_work.h"

namespace ib::storage {
namespace {

// Settings survive a reset (the generated JWT secret keeps the printed keys valid), and so
// does the record of applied migrations (the schema stays).
bool IsKept(const std::string& table) {
  return table == "ib_settings" || table == kMigrationsTable;
}

struct SeedRow {
  std::string table;
  std::vector<std::pair<std::string, SqlValue>> values;
};

// The rows the migrations insert into a fresh database, found by migrating a scratch
// in-memory one, so a reset restores whatever a later migration seeds without a list here.
// Computed once: the embedded migrations never change while the process runs.
const std::vector<SeedRow>& SeedRows(const Catalog& catalog) {
  static const std::vector<SeedRow> kSeeds = [&catalog] {
    std::vector<SeedRow> seeds;
    Db scratch(":memory:");
    Db::WriteLease lease(scratch);
    Migrate(lease.conn().db(), EmbeddedMigrations());
    for (const auto& table : catalog.tables()) {
      if (IsKept(table->name)) continue;
      Executor(lease.conn())
          .Run({"SELECT * FROM " + table->ident.sql(), {}, ""}, [&](const Row& r) {
            SeedRow row{table->name, {}};
            for (int i = 0; i < r.size(); ++i) {
              row.values.emplace_back(std::string(r.name(i)), OwnedCopy(r[i]));
            }
            seeds.push_back(std::move(row));
          });
    }
    return seeds;
  }();
  return kSeeds;
}

void InsertSeed(Executor& ex, const Catalog& catalog, const SeedRow& seed) {
  const Table* table = catalog.FindTable(seed.table);
  if (!table) return;
  SqlQuery q{"INSERT INTO " + table->ident.sql() + " (", {}, table->name};
  std::string marks;
  for (const auto& [name, value] : seed.values) {
    const Column* column = table->FindColumn(name);
    if (!column) throw Error::Internal("seed column missing: " + name);
    if (!q.params.empty()) {
      q.text += ", ";
      marks += ", ";
    }
    q.text += column->ident.sql();
    marks += "?";
    q.params.push_back(value);
  }
  q.text += ") VALUES (" + marks + ")";
  ex.Run(q);
}

// Every table is emptied, so no reference can dangle at COMMIT; deferring the checks frees
// the deletes from having to follow the foreign keys' order (storage objects -> buckets).
// A bulk wipe on purpose bypasses the RowWriter: no hook has anything left to maintain (the
// change capture still records every row deleted).
int EmptyAndReseed(WriteScope& scope, const std::vector<SeedRow>& seeds) {
  const Catalog& catalog = scope.catalog();
  Executor ex(scope.conn());
  ex.Exec("PRAGMA defer_foreign_keys = ON");
  int emptied = 0;
  for (const auto& table : catalog.tables()) {
    if (IsKept(table->name)) continue;
    ex.Run({"DELETE FROM " + table->ident.sql(), {}, table->name});
    ++emptied;
  }
  // AUTOINCREMENT counters restart too, as in a fresh database.
  if (ex.Scalar({"SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'", {}, ""})) {
    ex.Exec("DELETE FROM sqlite_sequence");
  }
  for (const SeedRow& seed : seeds) InsertSeed(ex, catalog, seed);
  return emptied;
}

}  // namespace

int ResetAllData(Db& db, const Principal& who, const RequestClock& clock) {
  const auto& seeds = SeedRows(db.catalog());
  return db.Write(who, clock, [&seeds](WriteScope& scope) { return EmptyAndReseed(scope, seeds); });
}

}  // namespace ib::storage
