// get_user_interview_stats(p_user_id uuid): the original plain-SQL aggregate over the user's
// interview_sessions, as a set of one row with its nulls (docs/hooks.md): counts, the mean
// overall_score of every scored session (numeric, printed as Postgres prints avg), the summed
// duration and the latest created_at. Computed here and returned as a one-row SELECT of bound
// values, so the REST engine can still apply select=, filters and counts to it.
#include "storage/rpc/functions.h"
#include "storage/rpc/pg_numeric.h"

namespace ib::storage::rpc {

SqlQuery GetUserInterviewStats(CallContext& ctx) {
  // Scores are decimal(5,2): summed in hundredths they are exact, as Postgres' numeric sum is.
  std::vector<SqlValue> values;
  Executor(ctx.conn).Run(
      {"SELECT COUNT(*), COUNT(CASE WHEN status = 'completed' THEN 1 END), "
       "COALESCE(SUM(CAST(round(overall_score * 100) AS INTEGER)), 0), COUNT(overall_score), "
       "SUM(duration_minutes), MAX(created_at) "
       "FROM interview_sessions WHERE user_id = ?",
       {ctx.args.Get("p_user_id")},
       ""},
      [&](const Row& r) {
        const int64_t scored = r.Int(3);
        values = {r.Int(0), r.Int(1),
                  scored == 0 ? SqlValue() : SqlValue(PgNumericAvgText(r.Int(2), scored, 2)),
                  OwnedCopy(r[4]), OwnedCopy(r[5])};
      });
  // average_score travels as the exact text Postgres would print; the renderer emits numeric
  // text that is a valid JSON number unquoted.
  return {
      "SELECT ? AS total_interviews, ? AS completed_interviews, ? AS average_score, "
      "? AS total_duration_minutes, ? AS last_interview_date",
      std::move(values), ""};
}

}  // namespace ib::storage::rpc
