// PATCH on a table: set the body's columns on every row the filters and the update guard
// select (optionally ordered and limited; found outside the writer, see write_targets.cpp). The
// guard's check runs on the rows as they will be, before the UPDATE (so it answers before a
// constraint) and again on the rows as stored.
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

RestResponse AnswerWrite(storage::Connection& conn, const ActionInput& in,
                         const std::vector<int64_t>& rowids, std::optional<Representation>& rep) {
  RestResponse out;
  const int64_t n = static_cast<int64_t>(rowids.size());
  if (rep) {
    CopyRepresentation(conn, *rep, rowids);
  } else {
    out.status = 204;
    out.content_type.clear();
  }
  RequireSingle(in.media, n);
  if (in.prefs.max_affected && in.prefs.handling_strict && n > *in.prefs.max_affected) {
    throw Error::MaxAffectedExceeded(n);
  }
  return out;
}

RestResponse RunUpdate(const ActionInput& in) {
  nlohmann::json body = ParseJsonBody(in.request.body);
  if (!body.is_object()) throw Error::InvalidBody("Empty or invalid json");
  auto columns = ResolveWriteColumns(in.table, {&body}, std::nullopt);
  const auto& who = in.plan.who;
  RefuseComputedColumns(in.table, columns, false);
  RefuseProtectedColumns(in.table, columns, who);
  std::vector<SqlValue> values;
  storage::hooks::RowData changes;
  for (const auto* c : columns) {
    values.push_back(storage::FromJson(c->type, body[c->name]));
    changes[c->name] = values.back();
  }

  // The filters run in a snapshot first; the writer re-checks only the rows found there.
  FoundTargets found = FindTargets(in, Command::kUpdate);
  std::optional<Representation> rep = PrepareRepresentation(in);
  std::vector<int64_t> rowids;
  RestResponse out = in.db.Write(in.plan.who, in.clock, [&](storage::WriteScope& scope) {
    if (in.prefs.tx_rollback) scope.RollBackWhenDone();  // Prefer: tx=rollback
    rowids = RecheckTargets(scope.conn(), found);
    // The guard's WITH CHECK answers before any constraint can (see insert_action.cpp).
    CheckUpdateCandidates(scope.conn(), in.table, who, rowids, columns, values);
    if (!changes.empty()) {
      for (int64_t rowid : rowids) scope.writer().Update(in.table.name, rowid, changes);
    }
    CheckWrittenRows(scope.conn(), in.table, Command::kUpdate, who, rowids);
    return AnswerWrite(scope.conn(), in, rowids, rep);
  });
  RenderRepresentation(rep, in.media, out);
  const int64_t n = static_cast<int64_t>(rowids.size());
  bool counted = in.prefs.count != CountPreference::kNone;
  out.headers.emplace_back("Content-Range",
                           ContentRange(0, n, counted ? std::optional<int64_t>(n) : std::nullopt));
  return out;
}

}  // namespace ib::rest
