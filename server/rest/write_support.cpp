#include "server/rest/write_support.h"

#include <algorithm>

#include "storage/error.h"
#include "storage/executor.h"
#include "storage/guards/guards.h"
#include "storage/json_text.h"

namespace ib::rest {

using storage::Error;

nlohmann::json ParseJsonBody(const std::string& body) {
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) throw Error::InvalidBody("Empty or invalid json");
  return parsed;
}

std::vector<const storage::Column*> ResolveWriteColumns(
    const storage::Table& table, const std::vector<const nlohmann::json*>& rows,
    const std::optional<std::vector<std::string>>& columns_param) {
  std::vector<const storage::Column*> out;
  if (columns_param) {
    for (const auto& name : *columns_param) {
      const storage::Column* c = table.FindColumn(name);
      if (!c) throw Error::UnknownBodyColumn(table.name, name);
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    }
    return out;
  }
  if (rows.empty()) return out;
  for (const auto& [key, value] : rows[0]->items()) {
    const storage::Column* c = table.FindColumn(key);
    if (!c) throw Error::UnknownBodyColumn(table.name, key);
    out.push_back(c);
  }
  for (size_t i = 1; i < rows.size(); ++i) {
    bool same = rows[i]->size() == out.size();
    for (const auto* c : out) same = same && rows[i]->contains(c->name);
    if (!same) throw Error::InvalidBody("All object keys must match");
  }
  return out;
}

std::string RowidsJson(const std::vector<int64_t>& rowids) {
  std::string ids = "[";
  for (size_t i = 0; i < rowids.size(); ++i) {
    if (i) ids += ',';
    storage::AppendInt(ids, rowids[i]);
  }
  return ids + "]";
}

storage::Error RlsViolation(const storage::Table& table, const storage::Principal& who) {
  return Error::PermissionDenied(
      who.is_anon(), "new row violates row-level security policy for table \"" + table.name + "\"");
}

void RefuseProtectedColumns(const storage::Table& table,
                            const std::vector<const storage::Column*>& columns,
                            const storage::Principal& who) {
  std::vector<std::string> names;
  for (const auto* c : columns) names.push_back(c->name);
  if (auto col = storage::guards::ProtectedColumnWritten(table.name, names, who)) {
    throw Error::PermissionDenied(
        who.is_anon(), "permission denied for column " + *col + " of table " + table.name);
  }
}

void CheckWrittenRows(storage::Connection& conn, const storage::Table& table,
                      storage::guards::Command command, const storage::Principal& who,
                      const std::vector<int64_t>& rowids) {
  if (who.is_service() || rowids.empty()) return;
  auto check = storage::guards::Check(table.name, command, who, "t0");
  std::string ids = RowidsJson(rowids);
  // coalesce: a predicate that is NULL (e.g. auth.uid() is NULL) fails the check, as in Postgres.
  storage::SqlQuery q{"SELECT count(*) FROM " + table.ident.sql() +
                          " AS t0 WHERE t0.rowid IN (SELECT value FROM json_each(?)) AND NOT "
                          "coalesce(" + check.sql + ", 0)",
                      {}, table.name};
  q.params.emplace_back(ids);
  for (auto& p : check.params) q.params.push_back(std::move(p));
  auto failing = storage::Executor(conn).Scalar(q);
  if (failing && std::get<int64_t>(*failing) > 0) throw RlsViolation(table, who);
}

}  // namespace ib::rest
