// Hook 5 (interview completion): the first time a session's status becomes 'completed', by
// insert or update, award it exactly once: profile counters and average, XP and level, the
// streak, achievements, and the leaderboard row (the ranks follow when read). The per-user sums
// come from ib_completion_totals (migration 0007), so none of this scans the user's sessions.
// "Exactly once" is a row in ib_completed_sessions (migration 0004), so reopening and completing
// again awards nothing. Everything runs in the request's transaction: an exception here refuses the
// whole write.
//
// A user without a profile row (created by hand, or who deleted it) is not given one: the
// profile-held parts (counters, average, XP, level, mirrors) are skipped, while the streak,
// achievements and leaderboard row are still recorded (the leaderboard's total_xp stays 0).
#include <cmath>

#include "storage/executor.h"
#include "storage/hooks/gamification.h"
#include "storage/hooks/hook_functions.h"
#include "storage/leaderboard.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::storage::hooks {
namespace {

constexpr int64_t kBaseXp = 50;

std::string Status(const HookRow& row) {
  // An update's BEFORE row holds only the changed columns; the rest are as stored.
  if (row.row.count("status")) return TextOf(row.row, "status");
  if (!row.old_row.empty()) return TextOf(row.old_row, "status");
  return "pending";  // the column default
}

bool EntersCompleted(const HookRow& row) {
  if (Status(row) != "completed") return false;
  return row.old_row.empty() || TextOf(row.old_row, "status") != "completed";
}

std::optional<double> ScoreOf(const RowData& row) {
  auto it = row.find("overall_score");
  if (it == row.end()) return std::nullopt;
  if (const auto* d = std::get_if<double>(&it->second)) return *d;
  if (const auto* i = std::get_if<int64_t>(&it->second)) return static_cast<double>(*i);
  return std::nullopt;
}

// D: the UTC date of completed_at (canonical storage text starts with it).
std::string ActivityDay(const RowData& session, int64_t now_micros) {
  const std::string at = IsNull(session, "completed_at") ? FormatTimestamptz(now_micros)
                                                         : TextOf(session, "completed_at");
  return NormalizeTimestamptz(at).substr(0, 10);
}

int64_t AwardedCount(HookContext& ctx, const std::string& user_id) {
  auto n =
      Executor(ctx.writer.conn())
          .Scalar({"SELECT COUNT(*) FROM ib_completed_sessions WHERE user_id = ?", {user_id}, ""});
  return n ? std::get<int64_t>(*n) : 0;
}

void Award(HookContext& ctx, const RowData& session) {
  const std::string user_id = TextOf(session, "user_id");
  const std::string session_id = TextOf(session, "id");
  const std::optional<double> score = ScoreOf(session);
  const auto profile =
      ctx.writer.FindRow("profiles", "id", user_id, {"completed_interviews", "total_xp"});

  const StreakState streak = ApplyStreakDay(ctx, user_id, ActivityDay(session, ctx.now_micros));
  Progress progress;
  progress.completed_interviews =
      profile ? IntOf(profile->row, "completed_interviews") + 1 : AwardedCount(ctx, user_id);
  progress.score = score;
  progress.current_streak = streak.current;
  // Read after this session's write, which the totals' triggers have already counted.
  const leaderboard::CompletionTotals totals =
      leaderboard::ReadCompletionTotals(ctx.writer.conn(), user_id);
  progress.voice_completed = totals.voice_completed;

  int64_t xp = (profile ? IntOf(profile->row, "total_xp") : 0) + kBaseXp +
               RoundedScore(score ? SqlValue(*score) : SqlValue());
  xp += UnlockAchievements(ctx, user_id, session_id, progress);
  if (profile) {
    ctx.writer.Update("profiles", profile->rowid,
                      {{"completed_interviews", progress.completed_interviews},
                       {"average_score", AverageScore(totals)},
                       {"total_xp", xp},
                       {"level", LevelForXp(xp)},
                       {"streak_days", streak.current},
                       {"last_activity_date", *streak.last}});
  }
  leaderboard::WriteUserRow(ctx.writer, user_id,
                            profile ? std::optional<int64_t>(xp) : std::nullopt, true);
}

}  // namespace

int64_t LevelForXp(int64_t total_xp) {
  if (total_xp < 100) return 1;
  // Integer square root: no floating-point edge at exact squares (400 -> 2, not 1.999...).
  const int64_t hundreds = total_xp / 100;
  auto root = static_cast<int64_t>(std::sqrt(static_cast<double>(hundreds)));
  while (root * root > hundreds) --root;
  while ((root + 1) * (root + 1) <= hundreds) ++root;
  return 1 + root;
}

int64_t DivRoundHalfAway(int64_t a, int64_t b) {
  const int64_t q = a / b;
  const int64_t r = a % b;
  const int64_t twice = 2 * (r < 0 ? -r : r);
  if (twice < b) return q;
  return a < 0 ? q - 1 : q + 1;
}

int64_t RoundedScore(const SqlValue& overall_score) {
  if (const auto* d = std::get_if<double>(&overall_score)) return std::llround(*d);
  if (const auto* i = std::get_if<int64_t>(&overall_score)) return *i;
  return 0;
}

std::optional<int64_t> ProfileRowid(HookContext& ctx, const std::string& user_id) {
  return ctx.writer.FindRowid("profiles", "id", user_id);
}

double AverageScore(const leaderboard::CompletionTotals& totals) {
  // In hundredths, so the mean is rounded exactly (half away from zero) as
  // round(avg(numeric), 2) would be in Postgres, not through binary floating point.
  if (totals.scored == 0) return 0;
  return static_cast<double>(DivRoundHalfAway(totals.score_hundredths, totals.scored)) / 100.0;
}

void StampCompletedAt(HookContext& ctx, HookRow& row) {
  if (!EntersCompleted(row)) return;
  auto it = row.row.find("completed_at");
  const bool null_after = it != row.row.end() ? std::holds_alternative<std::monostate>(it->second)
                                              : IsNull(row.old_row, "completed_at");
  if (null_after) row.row["completed_at"] = FormatTimestamptz(ctx.now_micros);
}

void AwardCompletion(HookContext& ctx, HookRow& row) {
  if (TextOf(row.row, "status") != "completed") return;
  const std::string session_id = TextOf(row.row, "id");
  if (ctx.writer.FindRowid("ib_completed_sessions", "session_id", session_id)) return;
  ctx.writer.Insert("ib_completed_sessions", {{"session_id", session_id},
                                              {"user_id", TextOf(row.row, "user_id")},
                                              {"awarded_at", FormatTimestamptz(ctx.now_micros)}});
  Award(ctx, row.row);
}

}  // namespace ib::storage::hooks
