// Hook 3 (feedback link): inserting interview_feedback points its session's feedback_id at
// the new row when the session has none yet; a session already linked keeps its first
// feedback. The session update goes through the RowWriter, so its updated_at moves too.
#include "storage/hooks/hook_functions.h"
#include "storage/row_writer.h"

namespace ib::storage::hooks {

void LinkFeedbackToSession(HookContext& ctx, HookRow& row) {
  auto rowid = ctx.writer.FindRowid("interview_sessions", "id", TextOf(row.row, "interview_id"));
  if (!rowid) return;  // the foreign key already refused a missing session
  auto session = ctx.writer.Read("interview_sessions", *rowid);
  if (!session || !IsNull(*session, "feedback_id")) return;
  ctx.writer.Update("interview_sessions", *rowid, {{"feedback_id", TextOf(row.row, "id")}});
}

}  // namespace ib::storage::hooks
