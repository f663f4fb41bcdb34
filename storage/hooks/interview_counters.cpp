// Hook 4 (interview counters): profiles.total_interviews always equals the number of the
// owner's sessions. Set from ib_session_counts (migration 0007, kept by triggers equal to a
// recount at every moment) rather than incremented, so it heals if the profile ever drifted,
// and without counting the user's sessions on every insert; a session moved to another user (a
// service-role update of user_id) sets both owners.
#include "storage/executor.h"
#include "storage/hooks/gamification.h"
#include "storage/hooks/hook_functions.h"
#include "storage/row_writer.h"

namespace ib::storage::hooks {
namespace {

void RecountInterviews(HookContext& ctx, const std::string& user_id) {
  auto rowid = ProfileRowid(ctx, user_id);
  if (!rowid) return;  // no profile, nothing to keep in step
  auto n = Executor(ctx.writer.conn())
               .Scalar({"SELECT sessions FROM ib_session_counts WHERE user_id = ?", {user_id}, ""});
  ctx.writer.Update("profiles", *rowid,
                    {{"total_interviews", n ? std::get<int64_t>(*n) : int64_t{0}}});
}

}  // namespace

void CountInterviews(HookContext& ctx, HookRow& row) {
  const bool is_update = !row.old_row.empty() && !row.row.empty();
  const std::string old_owner = TextOf(row.old_row, "user_id");
  const std::string new_owner = TextOf(row.row, "user_id");
  if (is_update && old_owner == new_owner) return;  // only an owner change moves a count
  if (!old_owner.empty()) RecountInterviews(ctx, old_owner);
  if (!new_owner.empty()) RecountInterviews(ctx, new_owner);
  if (!is_update) return;
  const bool completed =
      TextOf(row.old_row, "status") == "completed" || TextOf(row.row, "status") == "completed";
  if (!completed) return;
  RecomputeUserStats(ctx, old_owner);
  RecomputeUserStats(ctx, new_owner);
}

}  // namespace ib::storage::hooks
