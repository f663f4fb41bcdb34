#include "server/rest/write_support.h"

#include <algorithm>

#include "server/rest/sql_builder.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/guards/guards.h"
#include "storage/json_input.h"

namespace ib::rest {

using storage::Error;

nlohmann::json ParseJsonBody(std::string_view body) {
  storage::ClientJson parsed = storage::ParseClientJson(body);
  if (parsed.outcome == storage::ClientJson::Outcome::kTooDeep) {
    throw Error::InvalidJson(std::move(parsed.error));
  }
  if (!parsed.ok()) throw Error::InvalidBody("Empty or invalid json");
  return std::move(parsed.value);
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

storage::Error RlsViolation(const storage::Table& table, const storage::Principal& who) {
  return Error::PermissionDenied(
      who.is_anon(), "new row violates row-level security policy for table \"" + table.name + "\"");
}

void RefuseComputedColumns(const storage::Table& table,
                           const std::vector<const storage::Column*>& columns, bool insert) {
  for (const auto* c : columns) {
    if (table.IsComputed(c->name)) throw Error::GeneratedColumnWritten(c->name, insert);
  }
}

void RefuseProtectedColumns(const storage::Table& table,
                            const std::vector<const storage::Column*>& columns,
                            const storage::Principal& who) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto* c : columns) names.push_back(c->name);
  if (auto col = storage::guards::ProtectedColumnWritten(table.name, names, who)) {
    throw ProtectedColumnViolation(table, *col, who);
  }
}

storage::Error ProtectedColumnViolation(const storage::Table& table, const std::string& column,
                                        const storage::Principal& who) {
  return Error::PermissionDenied(
      who.is_anon(), "permission denied for column " + column + " of table " + table.name);
}

GuardSql ToGuardSql(storage::guards::GuardPredicate guard) {
  return GuardSql{std::move(guard.sql), std::move(guard.params)};
}

int64_t CountOf(storage::Executor& ex, const storage::SqlQuery& query) {
  auto n = ex.Scalar(query);
  return n ? std::get<int64_t>(*n) : 0;
}

void CheckWrittenRows(storage::Connection& conn, const storage::Table& table,
                      storage::guards::Command command, const storage::Principal& who,
                      const std::vector<int64_t>& rowids) {
  if (who.is_service() || rowids.empty()) return;
  GuardSql check = ToGuardSql(storage::guards::Check(table.name, command, who, "t0"));
  storage::Executor ex(conn);
  if (CountOf(ex, BuildFailingStoredRows(table, rowids, check)) > 0) {
    throw RlsViolation(table, who);
  }
}

void CheckUpdateCandidates(storage::Connection& conn, const storage::Table& table,
                           const storage::Principal& who, const std::vector<int64_t>& rowids,
                           const std::vector<const storage::Column*>& changed,
                           const std::vector<storage::SqlValue>& values) {
  if (who.is_service() || rowids.empty()) return;
  GuardSql check =
      ToGuardSql(storage::guards::Check(table.name, storage::guards::Command::kUpdate, who, "t0"));
  storage::Executor ex(conn);
  if (CountOf(ex, BuildFailingUpdateCandidates(table, rowids, changed, values, check)) > 0) {
    throw RlsViolation(table, who);
  }
  // Columns writable with one value only (profiles.email), when this update writes them.
  std::vector<std::string> names;
  names.reserve(changed.size());
  for (const auto* c : changed) names.push_back(c->name);
  for (auto& condition : storage::guards::ColumnConditions(table.name, &names, who, "t0")) {
    GuardSql allowed = ToGuardSql(std::move(condition.allowed));
    if (CountOf(ex, BuildFailingUpdateCandidates(table, rowids, changed, values, allowed)) > 0) {
      throw ProtectedColumnViolation(table, condition.column, who);
    }
  }
}

}  // namespace ib::rest
