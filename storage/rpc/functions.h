// The RPC implementations registered in registry.cpp, one file each. Each runs inside the
// request's transaction on ctx.conn and trusts registry.cpp's caller guard (roles, own id).
#pragma once

#include "storage/rpc/rpc.h"

namespace ib::storage::rpc {

// A `p_limit` argument as SQLite's LIMIT operand: Postgres reads LIMIT NULL as no limit
// (SQLite: -1) and refuses a negative one (400 2201W). Shared by the limited functions.
SqlValue SqlLimit(const SqlValue& limit);

// interview_stats.cpp: set of one row (total_interviews, completed_interviews, average_score,
// total_duration_minutes, last_interview_date).
SqlQuery GetUserInterviewStats(CallContext& ctx);
// recent_interviews.cpp: the user's sessions left-joined to their feedback, newest first.
SqlQuery GetRecentInterviewsWithFeedback(CallContext& ctx);
// leaderboard.cpp: the ranking with display names, ordered by rank.
SqlQuery GetLeaderboard(CallContext& ctx);
// refresh_leaderboard.cpp: recomputes every leaderboard row and rank (void).
nlohmann::json RefreshLeaderboard(CallContext& ctx);

}  // namespace ib::storage::rpc
