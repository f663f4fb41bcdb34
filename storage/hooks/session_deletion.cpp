// Hook 6: deleting a completed session recomputes its owner's counters, average and
// leaderboard scores (the ranks follow when read). XP, level, streak and achievements already
// earned stay.
#include "storage/hooks/gamification.h"
#include "storage/hooks/hook_functions.h"
#include "storage/leaderboard.h"
#include "storage/row_writer.h"

namespace ib::storage::hooks {

void RecomputeUserStats(HookContext& ctx, const std::string& user_id) {
  if (auto rowid = ProfileRowid(ctx, user_id)) {
    const leaderboard::CompletionTotals totals =
        leaderboard::ReadCompletionTotals(ctx.writer.conn(), user_id);
    ctx.writer.Update(
        "profiles", *rowid,
        {{"completed_interviews", totals.completed}, {"average_score", AverageScore(totals)}});
  }
  // total_xp nullopt: the XP earned stays as stored; no row is created for a user without one.
  leaderboard::WriteUserRow(ctx.writer, user_id, std::nullopt, false);
}

void RecomputeAfterSessionDelete(HookContext& ctx, HookRow& row) {
  if (TextOf(row.old_row, "status") != "completed") return;
  RecomputeUserStats(ctx, TextOf(row.old_row, "user_id"));
}

}  // namespace ib::storage::hooks
