// POST on a table: insert one or many rows, or upsert them (Prefer: resolution=...), all in
// one transaction. Each row is checked against the insert guard (or, for rows that take the
// update path of an upsert, the update guard); one failing row refuses the whole request.
#include "server/rest/actions.h"
#include "server/rest/renderer.h"
#include "server/rest/sql_builder.h"
#include "server/rest/write_support.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/guards/guards.h"
#include "storage/row_writer.h"
#include "storage/unit_of_work.h"
#include "storage/values.h"

namespace ib::rest {

using storage::Error;
using storage::SqlValue;
using Command = storage::guards::Command;

namespace {

struct RowValues {
  std::vector<const storage::Column*> columns;
  std::vector<SqlValue> values;
  const SqlValue* Find(const storage::Column* c) const {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == c) return &values[i];
    }
    return nullptr;
  }
};

RowValues ConvertRow(const nlohmann::json& obj, const std::vector<const storage::Column*>& columns,
                     bool missing_default) {
  RowValues row;
  for (const auto* c : columns) {
    auto it = obj.find(c->name);
    if (it == obj.end()) {
      if (missing_default) continue;  // the column default applies
      row.columns.push_back(c);
      row.values.emplace_back();  // a listed key missing from this row is NULL
      continue;
    }
    row.columns.push_back(c);
    row.values.push_back(storage::FromJson(c->type, *it));
  }
  return row;
}

storage::hooks::RowData ToRowData(const RowValues& row) {
  storage::hooks::RowData data;
  for (size_t i = 0; i < row.columns.size(); ++i) data[row.columns[i]->name] = row.values[i];
  return data;
}

// The conflict target: on_conflict= columns, else the primary key; must be a unique key.
std::vector<const storage::Column*> ConflictTarget(const storage::Table& table,
                                                   const ApiRequest& api) {
  std::vector<std::string> names = api.on_conflict ? *api.on_conflict : table.primary_key;
  std::vector<const storage::Column*> out;
  for (const auto& n : names) {
    const storage::Column* c = table.FindColumn(n);
    if (!c) throw Error::UnknownColumn(table.name, n);
    out.push_back(c);
  }
  if (out.empty() || !table.IsUniqueKey(names)) {
    throw Error::NoConflictTarget();
  }
  return out;
}

// The existing row the upsert row collides with on the target, if any.
std::optional<int64_t> FindConflict(storage::Executor& ex, const storage::Table& table,
                                    const std::vector<const storage::Column*>& target,
                                    const RowValues& row) {
  std::vector<SqlValue> values;
  for (const auto* column : target) {
    const SqlValue* v = row.Find(column);
    if (!v || std::holds_alternative<std::monostate>(*v)) return std::nullopt;
    values.push_back(*v);
  }
  std::optional<int64_t> found;
  ex.Run(BuildConflictLookup(table, target, std::move(values)),
         [&](const storage::Row& r) { found = r.Int(0); });
  return found;
}

bool VisibleForUpdate(storage::Executor& ex, const storage::Table& table,
                      const storage::Principal& who, int64_t rowid) {
  if (who.is_service()) return true;
  GuardSql guard = ToGuardSql(storage::guards::Using(table.name, Command::kUpdate, who, "t0"));
  return CountOf(ex, BuildGuardedRowCount(table, rowid, guard)) > 0;
}

// Postgres evaluates a policy's WITH CHECK on the row about to be written before any unique,
// foreign-key, not-null or check constraint, so a refused caller learns nothing from a
// constraint about rows it cannot read. The candidate is checked before it is written.
void CheckInsertCandidate(storage::Executor& ex, const storage::Table& table,
                          const storage::Principal& who, const RowValues& row) {
  if (who.is_service()) return;
  GuardSql check = ToGuardSql(storage::guards::Check(table.name, Command::kInsert, who, "t0"));
  if (CountOf(ex, BuildFailingInsertCandidate(table, row.columns, row.values, check)) > 0) {
    throw RlsViolation(table, who);
  }
  // Columns writable with one value only (profiles.email): checked on every new row, given
  // or defaulted, so a row without the value is refused as well.
  for (auto& condition : storage::guards::ColumnConditions(table.name, nullptr, who, "t0")) {
    GuardSql allowed = ToGuardSql(std::move(condition.allowed));
    if (CountOf(ex, BuildFailingInsertCandidate(table, row.columns, row.values, allowed)) > 0) {
      throw ProtectedColumnViolation(table, condition.column, who);
    }
  }
}

std::vector<const nlohmann::json*> BodyRows(const nlohmann::json& body) {
  std::vector<const nlohmann::json*> rows;
  if (body.is_object()) {
    rows.push_back(&body);
  } else if (body.is_array()) {
    for (const auto& item : body) {
      if (!item.is_object()) throw Error::InvalidBody("All object keys must match");
      rows.push_back(&item);
    }
  } else {
    throw Error::InvalidBody("Empty or invalid json");
  }
  return rows;
}

}  // namespace

RestResponse RunInsert(const ActionInput& in) {
  nlohmann::json body = ParseJsonBody(in.request.body);
  auto rows = BodyRows(body);
  auto columns = ResolveWriteColumns(in.table, rows, in.api.columns);
  const auto& who = in.plan.who;
  RefuseComputedColumns(in.table, columns, true);
  RefuseProtectedColumns(in.table, columns, who);
  const bool upsert = in.prefs.resolution != Resolution::kNone;
  std::vector<const storage::Column*> target;
  if (upsert) target = ConflictTarget(in.table, in.api);
  const bool missing_default = in.prefs.missing_default || !in.api.columns;
  // The body's values are converted and the answer planned before the write, off the writer.
  std::vector<RowValues> values;
  values.reserve(rows.size());
  for (const auto* obj : rows) values.push_back(ConvertRow(*obj, columns, missing_default));
  std::optional<Representation> rep = PrepareRepresentation(in);

  std::vector<int64_t> written, inserted, updated;
  RestResponse out = in.db.Write(who, in.clock, [&](storage::WriteScope& scope) {
    if (in.prefs.tx_rollback) scope.RollBackWhenDone();  // Prefer: tx=rollback
    storage::Executor ex(scope.conn());
    for (const RowValues& row : values) {
      // As in Postgres, the insert check applies to the proposed row even when it then
      // conflicts (ON CONFLICT DO NOTHING / DO UPDATE), so a conflict never answers first.
      CheckInsertCandidate(ex, in.table, who, row);
      std::optional<int64_t> existing;
      if (upsert) existing = FindConflict(ex, in.table, target, row);
      if (existing) {
        if (in.prefs.resolution == Resolution::kIgnoreDuplicates) continue;
        // Postgres refuses INSERT ... ON CONFLICT DO UPDATE on a row the update policy hides.
        if (!VisibleForUpdate(ex, in.table, who, *existing)) throw RlsViolation(in.table, who);
        CheckUpdateCandidates(scope.conn(), in.table, who, {*existing}, row.columns, row.values);
        scope.writer().Update(in.table.name, *existing, ToRowData(row));
        updated.push_back(*existing);
        written.push_back(*existing);
        continue;
      }
      int64_t rowid = scope.writer().Insert(in.table.name, ToRowData(row));
      inserted.push_back(rowid);
      written.push_back(rowid);
    }
    CheckWrittenRows(scope.conn(), in.table, Command::kInsert, who, inserted);
    CheckWrittenRows(scope.conn(), in.table, Command::kUpdate, who, updated);

    RestResponse answer;
    answer.status = (upsert && inserted.empty() && !updated.empty()) ? 200 : 201;
    if (rep) {
      CopyRepresentation(scope.conn(), *rep, written);
      RequireSingle(in.media, static_cast<int64_t>(rep->rows.size()));
    } else {
      answer.content_type.clear();
    }
    return answer;
  });
  RenderRepresentation(rep, in.media, out);
  bool counted = in.prefs.count != CountPreference::kNone;
  out.headers.emplace_back("Content-Range",
                           counted ? "*/" + std::to_string(written.size()) : "*/*");
  return out;
}

}  // namespace ib::rest
