#include "storage/computed_values.h"

#include "storage/computed_columns.h"
#include "storage/executor.h"

namespace ib::storage {

ChangeRow WithComputedColumns(Connection& conn, const Table& table, ChangeRow row) {
  for (const std::string& name : table.computed_columns) {
    const ComputedColumn* computed = FindComputedColumn(table.name, name);
    if (computed == nullptr) continue;
    SqlQuery query;
    query.text = "SELECT " + std::string(computed->sql) + " FROM (SELECT ";
    bool first = true;
    for (const Column& c : table.columns) {
      if (c.name == name) continue;
      query.text += first ? "" : ", ";
      first = false;
      query.text += "? AS " + c.ident.sql();
      auto it = row.find(c.name);
      query.params.push_back(it == row.end() ? SqlValue{} : it->second);
    }
    query.text += ") AS stored";
    row[name] = Executor(conn).Scalar(query).value_or(SqlValue{});
  }
  return row;
}

}  // namespace ib::storage
