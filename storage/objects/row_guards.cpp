#include "storage/objects/row_guards.h"

#include "storage/catalog.h"
#include "storage/error.h"
#include "storage/executor.h"

namespace ib::storage::objects {

bool CheckAdmits(Connection& conn, const Catalog& catalog, const Principal& who,
                 std::string_view table, guards::Command command, const hooks::RowData& candidate) {
  guards::GuardPredicate check = guards::Check(table, command, who, "candidate");
  if (check.unrestricted()) return true;
  const Table* t = catalog.FindTable(table);
  if (!t) throw Error::Internal("unknown table " + std::string(table));
  // The candidate as a one-row derived table named like the guarded row, so the policy's
  // predicate reads its columns exactly as it would read a stored row's.
  SqlQuery q;
  std::string columns;
  for (const auto& [name, value] : candidate) {
    const Column* c = t->FindColumn(name);
    if (!c) throw Error::Internal("unknown column " + std::string(name));
    columns += columns.empty() ? "SELECT ? AS " : ", ? AS ";
    columns += c->ident.sql();
    q.params.push_back(value);
  }
  q.text = "SELECT 1 FROM (" + columns + ") AS candidate WHERE " + check.sql;
  for (auto& p : check.params) q.params.push_back(std::move(p));
  return Executor(conn).Scalar(q).has_value();
}

std::string AndUsing(std::string_view table, guards::Command command, const Principal& who,
                     std::string_view alias, std::vector<SqlValue>& params) {
  guards::GuardPredicate using_ = guards::Using(table, command, who, alias);
  if (using_.unrestricted()) return "";
  for (auto& p : using_.params) params.push_back(std::move(p));
  return " AND " + using_.sql;
}

}  // namespace ib::storage::objects
