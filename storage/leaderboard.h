// Leaderboard arithmetic shared by the completion/deletion hooks and the refresh_leaderboard
// RPC (hooks/ and rpc/ may not include each other): a user's completion totals and score sums,
// and their row (docs/hooks.md). Ranks are not written: leaderboard.rank is computed when read
// (storage/computed_columns.cpp). Runs on the caller's connection inside the caller's
// transaction; row writes go through the RowWriter so hooks fire. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/executor.h"

namespace ib::storage {

class Connection;
class RowWriter;

namespace leaderboard {

// SQL for one session's S: round(overall_score) half away from zero, 0 when null. SQLite's
// round() rounds halves away from zero, as Postgres rounds numerics.
inline constexpr const char* kSessionScoreSql =
    "CAST(round(COALESCE(overall_score, 0)) AS INTEGER)";

// The sums over a user's sessions whose status is 'completed' now, as the triggers of migration
// 0007 keep them in ib_completion_totals (all zero for a user with none): one row read, however
// many sessions the user has.
struct CompletionTotals {
  int64_t completed = 0;
  int64_t voice_completed = 0;   // ... of interview_type 'voice'
  int64_t score_total = 0;       // sum of S
  int64_t scored = 0;            // ... with an overall_score
  int64_t score_hundredths = 0;  // sum of round(overall_score * 100) over those
};

CompletionTotals ReadCompletionTotals(Connection& conn, std::string_view user_id);

struct Scores {
  int64_t total = 0;    // sum of S over the user's completed sessions
  int64_t weekly = 0;   // ... completed in the last 7 days (by completed_at, relative to now)
  int64_t monthly = 0;  // ... in the last 30 days
};

// total from the completion totals; the windows from the user's sessions completed in the
// last 30 days only (an index range from the window's start), not their whole history.
Scores UserScores(Connection& conn, std::string_view user_id, int64_t now_micros);
// The one query UserScores runs: its windows read interview_sessions_user_completed_idx alone
// (tests check its plan).
SqlQuery UserScoresQuery(std::string_view user_id, int64_t now_micros);

// Writes the user's row: the score sums, total_xp (kept as stored when nullopt; 0 for a new
// row) and last_updated = now. Creates the row when absent only if `create`.
void WriteUserRow(RowWriter& writer, std::string_view user_id, std::optional<int64_t> total_xp,
                  bool create);

// Recomputes every user's row (users with a row or a completed session) from the sessions
// and profiles. What refresh_leaderboard() does.
void RefreshAll(RowWriter& writer);

}  // namespace leaderboard
}  // namespace ib::storage
