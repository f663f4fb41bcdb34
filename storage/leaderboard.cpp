#include "storage/leaderboard.h"

#include <utility>
#include <vector>

#include "storage/executor.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::storage::leaderboard {
namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000LL;

int64_t IntValue(const SqlValueView& v) {
  if (v.type == SqlValueView::Type::kReal) return static_cast<int64_t>(v.real);
  return v.integer;
}

}  // namespace

CompletionTotals ReadCompletionTotals(Connection& conn, std::string_view user_id) {
  CompletionTotals out;
  Executor(conn).Run({"SELECT completed, voice_completed, score_total, scored, score_hundredths "
                      "FROM ib_completion_totals WHERE user_id = ?",
                      {std::string(user_id)},
                      ""},
                     [&](const Row& r) {
                       out.completed = r.Int(0);
                       out.voice_completed = r.Int(1);
                       out.score_total = r.Int(2);
                       out.scored = r.Int(3);
                       out.score_hundredths = r.Int(4);
                     });
  return out;
}

SqlQuery UserScoresQuery(std::string_view user_id, int64_t now_micros) {
  // Canonical timestamps sort as text, so the windows are plain text comparisons, and the
  // month's start bounds the range of interview_sessions_user_completed_idx read (user, status,
  // completion date: the index alone answers).
  const std::string week_start = FormatTimestamptz(now_micros - 7 * kMicrosPerDay);
  const std::string month_start = FormatTimestamptz(now_micros - 30 * kMicrosPerDay);
  // The total rides along from ib_completion_totals (the aggregate answers one row even when
  // the window is empty).
  return {std::string("SELECT COALESCE(SUM(CASE WHEN completed_at >= ? THEN sc END), 0), "
                      "COALESCE(SUM(sc), 0), COALESCE((SELECT score_total FROM "
                      "ib_completion_totals WHERE user_id = ?), 0) FROM (SELECT ") +
              kSessionScoreSql +
              " AS sc, completed_at FROM interview_sessions "
              "WHERE user_id = ? AND status = 'completed' AND completed_at >= ?)",
          {week_start, std::string(user_id), std::string(user_id), month_start},
          ""};
}

Scores UserScores(Connection& conn, std::string_view user_id, int64_t now_micros) {
  Scores out;
  Executor(conn).Run(UserScoresQuery(user_id, now_micros), [&](const Row& r) {
    out.weekly = IntValue(r[0]);
    out.monthly = IntValue(r[1]);
    out.total = IntValue(r[2]);
  });
  return out;
}

void WriteUserRow(RowWriter& writer, std::string_view user_id, std::optional<int64_t> total_xp,
                  bool create) {
  const Scores s = UserScores(writer.conn(), user_id, writer.now_micros());
  hooks::RowData values{{"total_score", s.total},
                        {"weekly_score", s.weekly},
                        {"monthly_score", s.monthly},
                        {"last_updated", FormatTimestamptz(writer.now_micros())}};
  if (total_xp) values["total_xp"] = *total_xp;
  if (auto rowid = writer.FindRowid("leaderboard", "user_id", std::string(user_id))) {
    writer.Update("leaderboard", *rowid, std::move(values));
    return;
  }
  if (!create) return;
  values["user_id"] = std::string(user_id);
  if (!total_xp) values["total_xp"] = int64_t{0};
  writer.Insert("leaderboard", std::move(values));
}

void RefreshAll(RowWriter& writer) {
  struct Entry {
    std::string user_id;
    std::optional<int64_t> total_xp;  // the profile's, when the user has one
  };
  std::vector<Entry> entries;
  // Collected first: the rows are written through the same connection afterwards.
  Executor(writer.conn())
      .Run({"SELECT u.user_id, p.id IS NOT NULL, COALESCE(p.total_xp, 0) FROM "
            "(SELECT user_id FROM leaderboard UNION "
            " SELECT user_id FROM interview_sessions WHERE status = 'completed') AS u "
            "LEFT JOIN profiles AS p ON p.id = u.user_id ORDER BY u.user_id",
            {},
            ""},
           [&](const Row& r) {
             Entry e{r.Text(0), std::nullopt};
             if (r.Int(1) != 0) e.total_xp = IntValue(r[2]);
             entries.push_back(std::move(e));
           });
  for (const Entry& e : entries) WriteUserRow(writer, e.user_id, e.total_xp, true);
}

}  // namespace ib::storage::leaderboard
