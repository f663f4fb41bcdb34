// Leaderboard arithmetic shared by the completion/deletion hooks and the refresh_leaderboard
// RPC (hooks/ and rpc/ may not include each other): a user's score sums, their row, and the
// ranks of everyone (docs/hooks.md). Runs on the caller's connection inside the caller's
// transaction; row writes go through the RowWriter so hooks fire. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ib::storage {

class Connection;
class RowWriter;

namespace leaderboard {

// SQL for one session's S: round(overall_score) half away from zero, 0 when null. SQLite's
// round() rounds halves away from zero, as Postgres rounds numerics.
inline constexpr const char* kSessionScoreSql =
    "CAST(round(COALESCE(overall_score, 0)) AS INTEGER)";

struct Scores {
  int64_t total = 0;    // sum of S over the user's completed sessions
  int64_t weekly = 0;   // ... completed in the last 7 days (by completed_at, relative to now)
  int64_t monthly = 0;  // ... in the last 30 days
};

Scores UserScores(Connection& conn, std::string_view user_id, int64_t now_micros);

// Writes the user's row: the score sums, total_xp (kept as stored when nullopt; 0 for a new
// row) and last_updated = now. Creates the row when absent only if `create`.
void WriteUserRow(RowWriter& writer, std::string_view user_id, std::optional<int64_t> total_xp,
                  bool create);

// rank = 1 + the number of rows with a strictly greater total_score (ties share a rank), for
// every row, in one statement; rows whose rank is already right are not touched.
void Rerank(Connection& conn);

// Recomputes every user's row (users with a row or a completed session) from the sessions
// and profiles, then the ranks. What refresh_leaderboard() does.
void RefreshAll(RowWriter& writer);

}  // namespace leaderboard
}  // namespace ib::storage
