// DELETE on a table: remove every row the filters and the delete guard select. The
// representation is read before the rows go, so it can still embed related rows.
#include "server/rest/actions.h"
#include "server/rest/renderer.h"
#include "server/rest/write_support.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/guards/guards.h"
#include "storage/row_writer.h"
#include "storage/unit_of_work.h"

namespace ib::rest {

using storage::Error;
using Command = storage::guards::Command;

RestResponse RunDelete(const ActionInput& in) {
  // The filters run in a snapshot first; the writer re-checks only the rows found there.
  FoundTargets found = FindTargets(in, Command::kDelete);
  std::optional<Representation> rep = PrepareRepresentation(in);
  std::vector<int64_t> rowids;
  RestResponse out = in.db.Write(in.plan.who, in.clock, [&](storage::WriteScope& scope) {
    if (in.prefs.tx_rollback) scope.RollBackWhenDone();  // Prefer: tx=rollback
    rowids = RecheckTargets(scope.conn(), found);
    RestResponse answer = AnswerWrite(scope.conn(), in, rowids, rep);
    for (int64_t rowid : rowids) scope.writer().Delete(in.table.name, rowid);
    return answer;
  });
  RenderRepresentation(rep, in.media, out);
  const int64_t n = static_cast<int64_t>(rowids.size());
  bool counted = in.prefs.count != CountPreference::kNone;
  out.headers.emplace_back("Content-Range", counted ? "*/" + std::to_string(n) : "*/*");
  return out;
}

}  // namespace ib::rest
