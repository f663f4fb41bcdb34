// The rules behind the completion and deletion hooks (docs/hooks.md), shared by the hook
// family files (completion.cpp, streaks.cpp, achievements.cpp, session_deletion.cpp). The
// arithmetic is pure and unit-tested on its own; the Apply*/Recompute* helpers read and write
// through the hook's RowWriter, inside the request's transaction. Internal to storage/hooks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/hooks/hook.h"
#include "storage/leaderboard.h"

namespace ib::storage::hooks {

// ---- pure rules ----

// level = 1 + floor(sqrt(total_xp / 100)): 0 -> 1, 100 -> 2, 400 -> 3, 900 -> 4; < 100 -> 1.
int64_t LevelForXp(int64_t total_xp);

// a / b rounded half away from zero (b > 0), as Postgres rounds numerics.
int64_t DivRoundHalfAway(int64_t a, int64_t b);

// S: round(overall_score) half away from zero; 0 when NULL.
int64_t RoundedScore(const SqlValue& overall_score);

// Days since 1970-01-01 for "YYYY-MM-DD" (proleptic Gregorian); throws Error 22007 if malformed.
int64_t DayNumber(std::string_view date);

struct StreakState {
  int64_t current = 0;
  int64_t longest = 0;
  std::optional<std::string> last;  // last_activity_date
  std::vector<std::string> dates;   // streak_data: sorted, unique, at most kMaxStreakDates
};
inline constexpr size_t kMaxStreakDates = 365;

// The streak after an activity on `day`: first day -> 1, same day unchanged, next day +1,
// a gap -> 1, an earlier day unchanged; longest = max; last = max; `day` joins the dates.
StreakState AdvanceStreak(StreakState state, const std::string& day);

// What the achievement rules look at, after this completion has been counted.
struct Progress {
  int64_t completed_interviews = 0;
  std::optional<double> score;  // this interview's overall_score
  int64_t current_streak = 0;
  int64_t voice_completed = 0;  // completed sessions with interview_type 'voice'
};

struct AchievementRule {
  std::string_view type;
  std::string_view title;
  std::string_view description;
  std::string_view icon;
  int64_t xp_reward;
  bool (*unlocked)(const Progress&);
};

// The ten achievement rules, in unlock order (the table in docs/hooks.md).
const std::vector<AchievementRule>& AchievementRules();

// ---- effects (through ctx.writer) ----

// Records an activity on `day` in the user's streak row (created on first use); returns its
// counters and last date (`dates` is filled only when a hand-written streak_data had to be
// parsed: the hook's own form is updated on its text, storage/hooks/streak_dates.h).
StreakState ApplyStreakDay(HookContext& ctx, const std::string& user_id, const std::string& day);

// Unlocks every rule not yet unlocked that `progress` satisfies; returns the XP they reward.
int64_t UnlockAchievements(HookContext& ctx, const std::string& user_id,
                           const std::string& session_id, const Progress& progress);

// Mean overall_score of the user's completed sessions with a score, rounded to 2 places
// (0 when none), as stored in profiles.average_score; from the user's completion totals.
double AverageScore(const leaderboard::CompletionTotals& totals);

// Hook 6's recompute: completed_interviews and average_score from the completion totals, and
// the leaderboard scores. XP, level, streak and achievements stay.
void RecomputeUserStats(HookContext& ctx, const std::string& user_id);

// The user's profile rowid, if they have a profile.
std::optional<int64_t> ProfileRowid(HookContext& ctx, const std::string& user_id);

}  // namespace ib::storage::hooks
