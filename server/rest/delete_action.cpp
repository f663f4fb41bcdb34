// DELETE on a table: remove every row the filters and the delete guard select. The
// representation is read before the rows go, so it can still embed related rows.
#include "server/rest/actions.h"
#include "server/rest/renderer.h"
#include "server/rest/write_support.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/guards/guards.h"
#include "storage/row_writer.h"
#include "storage/transaction.h"

namespace ib::rest {

using storage::Error;
using Command = storage::guards::Command;

RestResponse RunDelete(const ActionInput& in) {
  storage::Db::WriteLease lease(in.db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
  std::vector<int64_t> rowids = TargetRowids(lease.conn(), in, Command::kDelete);

  RestResponse out = AnswerWrite(lease.conn(), in, rowids);
  const int64_t n = static_cast<int64_t>(rowids.size());
  storage::RowWriter writer(lease.conn(), in.plan.catalog, in.plan.who, in.plan.now_micros);
  for (int64_t rowid : rowids) writer.Delete(in.table.name, rowid);
  tx.Commit();
  bool counted = in.prefs.count != CountPreference::kNone;
  out.headers.emplace_back("Content-Range", counted ? "*/" + std::to_string(n) : "*/*");
  return out;
}

}  // namespace ib::rest
