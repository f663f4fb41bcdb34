#include "storage/change_visibility.h"

#include <set>
#include <string>

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
  SqlQuery query;
  AppendDeletedRows(query.text, query.params, catalog, transaction);
  query.text += "SELECT EXISTS (SELECT 1 FROM (SELECT ";
  AppendRowValues(query.text, query.params, StoredColumns(*table), *row, true);
  query.text += ") AS changed WHERE " + guard.sql + ")";
  query.params.insert(query.params.end(), guard.params.begin(), guard.params.end());
  std::optional<SqlValue> seen = Executor(conn).Scalar(query);
  return seen && std::holds_alternative<int64_t>(*seen) && std::get<int64_t>(*seen) != 0;
}

}  // namespace ib::storage
