// Hook 6: deleting a completed session recomputes its owner's counters, average and
// leaderboard scores, then everyone's ranks. XP, level, streak and achievements already
// earned stay. Removing a leaderboard row (directly, or with its auth user) reranks the rest.
#include "storage/hooks/gamification.h"
#include "storage/hooks/hook_functions.h"
#include "storage/leaderboard.h"
#include "storage/row_writer.h"

namespace ib::storage::hooks {

void RecomputeUserStats(HookContext& ctx, const std::string& user_id) {
  if (auto rowid = ProfileRowid(ctx, user_id)) {
    ctx.writer.Update("profiles", *rowid,
                      {{"completed_interviews", CompletedCount(ctx, user_id)},
                       {"average_score", AverageScore(ctx, user_id)}});
  }
  // total_xp nullopt: the XP earned stays as stored; no row is created for a user without one.
  leaderboard::WriteUserRow(ctx.writer, user_id, std::nullopt, false);
  leaderboard::Rerank(ctx.writer.conn());
}

void RecomputeAfterSessionDelete(HookContext& ctx, HookRow& row) {
  if (TextOf(row.old_row, "status") != "completed") return;
  RecomputeUserStats(ctx, TextOf(row.old_row, "user_id"));
}

void RerankLeaderboard(HookContext& ctx, HookRow&) { leaderboard::Rerank(ctx.writer.conn()); }

}  // namespace ib::storage::hooks
