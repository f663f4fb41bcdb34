// get_leaderboard(p_limit int default 10): the public ranking (new; anon may call it), each
// row joined to its profile for a display name (name, else username), avatar and level,
// ordered by rank (unranked rows last), ties by XP then user id so pages are stable.
#include "storage/rpc/functions.h"

namespace ib::storage::rpc {

SqlQuery GetLeaderboard(CallContext& ctx) {
  return {
      "SELECT l.rank AS rank, l.user_id AS user_id, "
      "COALESCE(p.name, p.username) AS display_name, p.avatar_url AS avatar_url, "
      "l.total_score AS total_score, l.total_xp AS total_xp, p.level AS level "
      "FROM leaderboard AS l LEFT JOIN profiles AS p ON p.id = l.user_id "
      "ORDER BY l.rank IS NULL, l.rank, l.total_xp DESC, l.user_id LIMIT ?",
      {SqlLimit(ctx.args.Get("p_limit"))},
      ""};
}

}  // namespace ib::storage::rpc
