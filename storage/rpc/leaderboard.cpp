// get_leaderboard(p_limit int default 10): the public ranking (new; anon may call it), each
// row joined to its profile for a display name (name, else username), avatar and level,
// ordered by rank, ties by XP then user id so pages are stable. Rank ascending is total_score
// descending (null as 0), which leaderboard_ranking_idx (migration 0007) holds in this order,
// so a page reads only its own rows and computes only their ranks.
#include "storage/catalog.h"
#include "storage/rpc/functions.h"

namespace ib::storage::rpc {

SqlQuery GetLeaderboard(CallContext& ctx) {
  return {
      "SELECT l.rank AS rank, l.user_id AS user_id, "
      "COALESCE(p.name, p.username) AS display_name, p.avatar_url AS avatar_url, "
      "l.total_score AS total_score, l.total_xp AS total_xp, p.level AS level FROM " +
          ctx.catalog.FindTable("leaderboard")->read_source +
          " AS l LEFT JOIN profiles AS p ON p.id = l.user_id "
          "ORDER BY COALESCE(l.total_score, 0) DESC, l.total_xp DESC, l.user_id LIMIT ?",
      {SqlLimit(ctx.args.Get("p_limit"))},
      ""};
}

}  // namespace ib::storage::rpc
