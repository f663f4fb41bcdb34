#include "storage/postgres_import.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "storage/catalog.h"
#include "storage/copy_dump.h"
#include "storage/db.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/migrator.h"

namespace ib::storage {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Fail(int line, const std::string& message) {
  throw Error::Internal("line " + std::to_string(line) + ": " + message);
}

// Our table for a dumped one: public.<name> (an exposed table), auth.users, auth.identities,
// private.ib_completed_sessions.
const Table* TargetTable(const Catalog& catalog, const CopyHeader& h) {
  if (h.schema == "public") return catalog.FindExposedTable(h.table);
  if (h.schema == "auth" && (h.table == "users" || h.table == "identities")) {
    return catalog.FindTable("auth_" + h.table);
  }
  // Our export keeps the hooks' record of awarded sessions there (no client may reach it).
  if (h.schema == "private" && h.table == "ib_completed_sessions") {
    return catalog.FindTable(h.table);
  }
  return nullptr;
}

// Where each dumped column goes: a column of ours, or nowhere (ignored).
struct BlockPlan {
  const Table* table = nullptr;
  std::vector<const Column*> columns;  // per dumped column; nullptr = ignored
  SqlQuery insert;
};

BlockPlan PlanBlock(const Catalog& catalog, const CopyHeader& h, ImportReport& report) {
  BlockPlan plan;
  plan.table = TargetTable(catalog, h);
  const std::string dumped = h.schema + "." + h.table;
  if (!plan.table) {
    Fail(h.line, "table " + dumped +
                     " is not one of this platform's (public tables, auth.users, "
                     "auth.identities); leave it out of the dump");
  }
  std::string names;
  std::string marks;
  for (const std::string& name : h.columns) {
    const Column* column = plan.table->FindColumn(name);
    if (column && plan.table->IsComputed(name)) column = nullptr;  // derived here
    if (!column && h.schema == "public" && !plan.table->IsComputed(name)) {
      std::string message = "column ";
      message.append(name).append(" of ").append(dumped);
      message.append(
          " does not exist here; its values would be lost (drop the column from the dump, or add "
          "it with a migration first)");
      Fail(h.line, message);
    }
    plan.columns.push_back(column);
    if (!column) {
      report.ignored_columns.push_back(std::string(dumped).append(".").append(name));
      continue;
    }
    for (const Column* seen : plan.columns) {
      if (seen != column && seen && seen->name == column->name) {
        Fail(h.line, "column " + name + " is listed twice");
      }
    }
    names += (names.empty() ? "" : ", ") + column->ident.sql();
    marks += marks.empty() ? "?" : ", ?";
  }
  if (names.empty()) Fail(h.line, "no column of " + dumped + " is one of ours");
  plan.insert = {"INSERT INTO " + plan.table->ident.sql() + " (" + names + ") VALUES (" + marks +
                     ") RETURNING rowid",
                 {},
                 plan.table->name};
  return plan;
}

// A COPY text value as the column's type reads it (text and varchar through the JSON path,
// which checks varchar(n) lengths).
SqlValue ParseValue(const Column& column, const std::string& text) {
  if (column.type.kind == ValueKind::kText || column.type.kind == ValueKind::kVarchar) {
    return FromJson(column.type, nlohmann::json(text));
  }
  return FromText(column.type, text);
}

struct RowLines {
  std::unordered_map<std::string, std::unordered_map<int64_t, int>> by_table;  // rowid -> line
};

void InsertRow(Executor& ex, BlockPlan& plan, const CopyRow& row, RowLines& lines) {
  plan.insert.params.clear();
  for (size_t i = 0; i < row.values.size(); ++i) {
    const Column* column = plan.columns[i];
    if (!column) continue;
    if (!row.values[i]) {
      plan.insert.params.emplace_back();
      continue;
    }
    try {
      plan.insert.params.push_back(ParseValue(*column, *row.values[i]));
    } catch (const Error& e) {
      Fail(row.line, "column " + column->name + " of " + plan.table->name + ": " + e.message());
    }
  }
  try {
    ex.Run(plan.insert,
           [&](const Row& r) { lines.by_table[plan.table->name][r.Int(0)] = row.line; });
  } catch (const Error& e) {
    Fail(row.line, plan.table->name + ": " + e.message());
  }
}

// Foreign keys are checked once every row is in (a dump need not list parents first).
void CheckForeignKeys(Executor& ex, const RowLines& lines) {
  ex.Run({"PRAGMA foreign_key_check", {}, ""}, [&](const Row& r) {
    const std::string table = r.Text(0);
    const std::string parent = r.Text(2);
    std::string where = "a row of " + table;
    auto t = lines.by_table.find(table);
    if (t != lines.by_table.end()) {
      auto l = t->second.find(r.Int(1));
      if (l != t->second.end()) {
        Fail(l->second, "the row of " + table + " refers to a row of " + parent +
                            " that the dump does not hold (include that table)");
      }
    }
    throw Error::Internal(where + " refers to a missing row of " + parent);
  });
}

// What the hooks would have recorded: a session completed in the dump was awarded there.
void MarkCompletedSessions(Executor& ex) {
  ex.Run(
      {"INSERT OR IGNORE INTO ib_completed_sessions (session_id, user_id, awarded_at) "
       "SELECT id, user_id, COALESCE(completed_at, updated_at, now()) FROM interview_sessions "
       "WHERE status = 'completed'",
       {},
       "ib_completed_sessions"});
}

void RefuseNonEmpty(Executor& ex, const Catalog& catalog, const std::string& db_path) {
  for (const auto& table : catalog.tables()) {
    if (!table->exposed && table->name != "auth_users" && table->name != "storage_objects") {
      continue;
    }
    auto any = ex.Scalar({"SELECT 1 FROM " + table->ident.sql() + " LIMIT 1", {}, ""});
    if (any) {
      throw Error::Internal(db_path + " is not empty (" + table->name +
                            " has rows): import loads into a new database only");
    }
  }
}

ImportReport Load(Connection& conn, const Catalog& catalog, std::istream& dump,
                  const std::string& db_path) {
  Executor ex(conn);
  ex.Exec("BEGIN IMMEDIATE");
  try {
    RefuseNonEmpty(ex, catalog, db_path);
    ex.Exec("PRAGMA defer_foreign_keys = ON");
    ImportReport report;
    RowLines lines;
    CopyDumpReader reader(dump);
    while (auto header = reader.NextBlock()) {
      BlockPlan plan = PlanBlock(catalog, *header, report);
      int64_t& count = report.rows[plan.table->name];
      while (auto row = reader.NextRow()) {
        InsertRow(ex, plan, *row, lines);
        ++count;
      }
    }
    CheckForeignKeys(ex, lines);
    MarkCompletedSessions(ex);
    ex.Exec("COMMIT");
    return report;
  } catch (...) {
    ex.Exec("ROLLBACK");
    throw;
  }
}

void RemoveDatabaseFiles(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ignored);
}

}  // namespace

ImportReport ImportPostgresDump(const std::string& db_path, const std::string& dump_path) {
  std::error_code ec;
  const std::string file =
      fs::is_directory(dump_path, ec) ? (fs::path(dump_path) / "data.sql").string() : dump_path;
  std::ifstream dump(file, std::ios::binary);
  if (!dump) throw Error::Internal("cannot read " + file);
  const bool existed = fs::exists(db_path, ec) && fs::file_size(db_path, ec) > 0;
  RefuseNewerSchema(db_path, LatestVersion(EmbeddedMigrations()));
  try {
    Db db(db_path);  // holds the file's lock: no server may serve it meanwhile
    std::shared_ptr<const Catalog> catalog;
    {
      Db::WriteLease lease(db);
      Migrate(lease.conn().db(), EmbeddedMigrations());
      catalog = Catalog::Load(lease.conn());
    }
    Connection conn(db_path, Durability::kFull);
    try {
      return Load(conn, *catalog, dump, db_path);
    } catch (const Error& e) {
      throw Error::Internal(file + ", " + e.message() + " (nothing was imported)");
    }
  } catch (...) {
    if (!existed) RemoveDatabaseFiles(db_path);
    throw;
  }
}

}  // namespace ib::storage
