// get_leaderboard(p_limit int default 10): the public ranking (new; anon may call it), each
// row joined to its profile for a display name (name, else username), avatar and level,
// ordered by rank (unranked rows last), ties by XP then user id so pages are stable.
#include "storage/error.h"
#include "storage/rpc/functions.h"

namespace ib::storage::rpc {

SqlQuery GetLeaderboard(CallContext& ctx) {
  const SqlValue& limit = ctx.args.Get("p_limit");
  SqlValue bound_limit = int64_t{-1};  // NULL: no limit, as LIMIT NULL in Postgres
  if (const auto* n = std::get_if<int64_t>(&limit)) {
    if (*n < 0) throw Error(400, "2201W", "LIMIT must not be negative");
    bound_limit = *n;
  }
  return {"SELECT l.rank AS rank, l.user_id AS user_id, "
          "COALESCE(p.name, p.username) AS display_name, p.avatar_url AS avatar_url, "
          "l.total_score AS total_score, l.total_xp AS total_xp, p.level AS level "
          "FROM leaderboard AS l LEFT JOIN profiles AS p ON p.id = l.user_id "
          "ORDER BY l.rank IS NULL, l.rank, l.total_xp DESC, l.user_id LIMIT ?",
          {std::move(bound_limit)},
          ""};
}

}  // namespace ib::storage::rpc
