#include "storage/change_visibility.h"

#include <sqlite3.h>

#include <memory>
#include <set>
#include <string>

#include "storage/db.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/guards/guards.h"

namespace ib::storage {
namespace {

// The table's stored columns (a computed column is not part of a changed row).
std::vector<const Column*> StoredColumns(const Table& table) {
  std::vector<const Column*> out;
  for (const Column& c : table.columns) {
    if (!table.IsComputed(c.name)) out.push_back(&c);
  }
  return out;
}

void AppendRowValues(std::string& sql, std::vector<SqlValue>& params,
                     const std::vector<const Column*>& columns, const ChangeRow& row, bool named) {
  for (size_t i = 0; i < columns.size(); ++i) {
    sql += i == 0 ? "" : ", ";
    sql += '?';
    if (named) sql += " AS " + columns[i]->ident.sql();
    auto it = row.find(columns[i]->name);
    params.push_back(it == row.end() ? SqlValue{} : it->second);
  }
}

// `WITH t AS (SELECT <cols> FROM main.t UNION ALL VALUES (...), ...), ...`: each table the
// transaction deleted rows from, with those rows back in it.
void AppendDeletedRows(std::string& sql, std::vector<SqlValue>& params, const Catalog& catalog,
                       const std::vector<ChangeRecord>& transaction) {
  std::set<std::string> tables;
  for (const ChangeRecord& r : transaction) {
    if (r.op == ChangeOp::kDelete && r.old_row && catalog.FindTable(r.table))
      tables.insert(r.table);
  }
  bool first = true;
  for (const std::string& name : tables) {
    const Table& table = *catalog.FindTable(name);
    std::vector<const Column*> columns = StoredColumns(table);
    sql += first ? "WITH " : ", ";
    first = false;
    sql += table.ident.sql() + " AS (SELECT ";
    for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i]->ident.sql();
    sql += " FROM main." + table.ident.sql();
    for (const ChangeRecord& r : transaction) {
      if (r.op != ChangeOp::kDelete || !r.old_row || r.table != name) continue;
      sql += " UNION ALL SELECT ";
      AppendRowValues(sql, params, columns, *r.old_row, false);
    }
    sql += ") ";
  }
}

// Whether `guard` passes `row` of `table`, with `transaction`'s deleted rows back in their
// tables: one query, `changed` standing for the row.
SqlQuery GuardOnRow(const Catalog& catalog, const Table& table, const ChangeRow& row,
                    const guards::GuardPredicate& guard,
                    const std::vector<ChangeRecord>& transaction) {
  SqlQuery query;
  AppendDeletedRows(query.text, query.params, catalog, transaction);
  query.text += "SELECT EXISTS (SELECT 1 FROM (SELECT ";
  AppendRowValues(query.text, query.params, StoredColumns(table), row, true);
  query.text += ") AS changed WHERE " + guard.sql + ")";
  query.params.insert(query.params.end(), guard.params.begin(), guard.params.end());
  return query;
}

// SQLite's authorizer, asked for each column a statement being prepared reads: notes its table.
int NoteTableRead(void* tables, int action, const char* table, const char* /*column*/,
                  const char* /*schema*/, const char* /*trigger_or_view*/) {
  if (action == SQLITE_READ && table != nullptr) {
    static_cast<std::set<std::string, std::less<>>*>(tables)->insert(table);
  }
  return SQLITE_OK;
}

}  // namespace

bool MayReadChange(Connection& conn, const Catalog& catalog, const ChangeRecord& record,
                   const std::vector<ChangeRecord>& transaction, const Principal& who) {
  const Table* table = catalog.FindTable(record.table);
  if (table == nullptr) return false;
  guards::GuardPredicate guard =
      guards::Using(table->name, guards::Command::kSelect, who, "changed");
  if (guard.unrestricted()) return true;
  if (guard.sql == "(0)") return false;
  const std::optional<ChangeRow>& row =
      record.op == ChangeOp::kDelete ? record.old_row : record.new_row;
  if (!row) return false;
  std::optional<SqlValue> seen =
      Executor(conn).Scalar(GuardOnRow(catalog, *table, *row, guard, transaction));
  return seen && std::holds_alternative<int64_t>(*seen) && std::get<int64_t>(*seen) != 0;
}

std::set<std::string, std::less<>> TablesSelectGuardsRead(Connection& conn,
                                                          const Catalog& catalog) {
  Principal anon;
  Principal user;
  user.role = Role::kAuthenticated;
  user.user_id = "00000000-0000-0000-0000-000000000000";
  std::set<std::string, std::less<>> read;
  sqlite3* db = conn.handle();
  for (const std::unique_ptr<Table>& table : catalog.tables()) {
    for (const Principal* who : {&anon, &user}) {
      const guards::GuardPredicate guard =
          guards::Using(table->name, guards::Command::kSelect, *who, "changed");
      if (guard.unrestricted()) continue;
      const SqlQuery query = GuardOnRow(catalog, *table, ChangeRow{}, guard, {});
      sqlite3_set_authorizer(db, NoteTableRead, &read);
      sqlite3_stmt* stmt = nullptr;
      const int rc = sqlite3_prepare_v2(db, query.text.c_str(), -1, &stmt, nullptr);
      sqlite3_finalize(stmt);
      sqlite3_set_authorizer(db, nullptr, nullptr);
      if (rc != SQLITE_OK) {
        throw Error::Internal("the SELECT guard of " + table->name +
                              " does not prepare: " + sqlite3_errmsg(db));
      }
    }
  }
  return read;
}

}  // namespace ib::storage
