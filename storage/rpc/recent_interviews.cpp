// get_recent_interviews_with_feedback(p_user_id uuid, p_limit int default 10): the user's
// sessions left-joined to their feedback rows (one row per feedback; sessions without any
// keep nulls), newest first, at most p_limit, as the original SQL function returned them.
#include "storage/error.h"
#include "storage/rpc/functions.h"

namespace ib::storage::rpc {

SqlValue SqlLimit(const SqlValue& limit) {
  const auto* n = std::get_if<int64_t>(&limit);
  if (!n) return int64_t{-1};
  if (*n < 0) throw Error::NegativeLimit();
  return *n;
}

SqlQuery GetRecentInterviewsWithFeedback(CallContext& ctx) {
  return {
      "SELECT s.id AS interview_id, s.title AS title, s.interview_type AS interview_type, "
      "s.status AS status, s.overall_score AS overall_score, s.created_at AS created_at, "
      "f.id AS feedback_id, f.hiring_recommendation AS hiring_recommendation "
      "FROM interview_sessions AS s "
      "LEFT JOIN interview_feedback AS f ON f.interview_id = s.id "
      "WHERE s.user_id = ? ORDER BY s.created_at DESC, s.rowid DESC, f.rowid LIMIT ?",
      {ctx.args.Get("p_user_id"), SqlLimit(ctx.args.Get("p_limit"))},
      ""};
}

}  // namespace ib::storage::rpc
