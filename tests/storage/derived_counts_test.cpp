// The derived counts of migration 0007 against a recount: after any sequence of writes (hooked
// or raw SQL, cascades included), ib_completion_totals equals the sums over the sessions, the
// score histogram equals the leaderboard's scores, and the rank computed when read equals
// RANK() OVER the scores, for every row, negative and very large scores included.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/support/gamification_fixture.h"

namespace ib::testing {
namespace {

std::string Show(const storage::SqlValueView& v) {
  switch (v.type) {
    case storage::SqlValueView::Type::kInteger:
      return std::to_string(v.integer);
    case storage::SqlValueView::Type::kReal:
      return std::to_string(v.real);
    case storage::SqlValueView::Type::kNull:
      return "null";
    default:
      return std::string(v.text);
  }
}

// Rows of `sql` rendered as one text, for comparing two queries' results.
std::string Rows(TestDb& db, const std::string& sql) {
  std::string out;
  storage::Executor(db.conn()).Run({sql, {}, ""}, [&](const storage::Row& r) {
    for (int i = 0; i < r.size(); ++i) out += Show(r[i]) + "|";
    out += "\n";
  });
  return out;
}

constexpr const char* kTotalsStored =
    "SELECT user_id, completed, voice_completed, score_total, scored, score_hundredths "
    "FROM ib_completion_totals ORDER BY user_id";
constexpr const char* kTotalsRecounted =
    "SELECT user_id, COUNT(*), SUM(interview_type = 'voice'), "
    "SUM(CAST(round(COALESCE(overall_score, 0)) AS INTEGER)), COUNT(overall_score), "
    "COALESCE(SUM(CAST(round(overall_score * 100) AS INTEGER)), 0) "
    "FROM interview_sessions WHERE status = 'completed' GROUP BY user_id ORDER BY user_id";
constexpr const char* kCountsStored =
    "SELECT user_id, sessions FROM ib_session_counts ORDER BY user_id";
constexpr const char* kCountsRecounted =
    "SELECT user_id, COUNT(*) FROM interview_sessions GROUP BY user_id ORDER BY user_id";
constexpr const char* kHistogramStored =
    "SELECT level, bucket, rows_in FROM ib_score_histogram ORDER BY level, bucket";
constexpr const char* kHistogramRecounted =
    "SELECT level, bucket, COUNT(*) FROM ("
    "SELECT 0 AS level, COALESCE(total_score, 0) AS bucket FROM leaderboard "
    "UNION ALL SELECT 1, COALESCE(total_score, 0) >> 8 FROM leaderboard "
    "UNION ALL SELECT 2, COALESCE(total_score, 0) >> 16 FROM leaderboard) "
    "GROUP BY level, bucket ORDER BY level, bucket";

std::string RanksComputed(TestDb& db) {
  return Rows(db, "SELECT r.user_id, r.rank FROM " +
                      db.catalog().FindTable("leaderboard")->read_source +
                      " AS r ORDER BY r.user_id");
}
std::string RanksExpected(TestDb& db) {
  return Rows(db,
              "SELECT user_id, RANK() OVER (ORDER BY COALESCE(total_score, 0) DESC) "
              "FROM leaderboard ORDER BY user_id");
}

TEST_CASE("derived counts: session counts and completion totals follow every write") {
  GamificationFixture f;
  std::mt19937 rng(7);
  std::vector<std::string> users, sessions;
  for (int i = 0; i < 4; ++i) users.push_back(f.AddUser("u" + std::to_string(i) + "@x.io"));
  const char* statuses[] = {"pending", "in_progress", "completed", "cancelled"};
  const char* types[] = {"voice", "text"};
  for (int step = 0; step < 400; ++step) {
    const auto& user = users[rng() % users.size()];
    switch (rng() % 5) {
      case 0:
      case 1: {  // a new session, sometimes already completed, with or without a score
        storage::hooks::RowData row{{"status", std::string(statuses[rng() % 4])},
                                    {"interview_type", std::string(types[rng() % 2])}};
        if (rng() % 3) row["overall_score"] = static_cast<double>(rng() % 10001) / 100.0;
        sessions.push_back(f.AddSession(user, row));
        break;
      }
      case 2:  // status, score, type or owner change through the writer
        if (!sessions.empty()) {
          storage::hooks::RowData changes;
          changes["status"] = std::string(statuses[rng() % 4]);
          if (rng() % 2) changes["overall_score"] = static_cast<double>(rng() % 101);
          if (rng() % 4 == 0) changes["overall_score"] = storage::SqlValue();
          if (rng() % 3 == 0) changes["interview_type"] = std::string(types[rng() % 2]);
          if (rng() % 8 == 0) changes["user_id"] = users[rng() % users.size()];
          f.UpdateSession(sessions[rng() % sessions.size()], changes);
        }
        break;
      case 3:  // a delete through the writer, or raw SQL past every hook
        if (!sessions.empty()) {
          const size_t i = rng() % sessions.size();
          if (rng() % 2) {
            f.DeleteSession(sessions[i]);
          } else {
            f.db().Exec("DELETE FROM interview_sessions WHERE id = '" + sessions[i] + "'");
          }
          sessions.erase(sessions.begin() + static_cast<long>(i));
        }
        break;
      default:  // raw SQL updates, which fire no hook but do fire the triggers
        f.db().Exec("UPDATE interview_sessions SET overall_score = " + std::to_string(rng() % 101) +
                    " WHERE rowid % 5 = " + std::to_string(rng() % 5));
        break;
    }
    if (step % 50 == 49) {
      REQUIRE(Rows(f.db(), kTotalsStored) == Rows(f.db(), kTotalsRecounted));
      REQUIRE(Rows(f.db(), kCountsStored) == Rows(f.db(), kCountsRecounted));
    }
  }
  // Deleting a user cascades to their sessions without any hook; the totals follow.
  f.db().Exec("DELETE FROM auth_users WHERE id = '" + users[0] + "'");
  CHECK(Rows(f.db(), kTotalsStored) == Rows(f.db(), kTotalsRecounted));
  CHECK(Rows(f.db(), kCountsStored) == Rows(f.db(), kCountsRecounted));
  CHECK(f.db().Scalar("SELECT COUNT(*) FROM ib_completion_totals WHERE user_id = ?", {users[0]}) ==
        storage::SqlValue(int64_t{0}));
}

TEST_CASE("derived counts: the computed rank equals RANK() over the scores after any writes") {
  GamificationFixture f;
  std::mt19937 rng(11);
  std::vector<std::string> users;
  for (int i = 0; i < 40; ++i) users.push_back(f.AddUser("r" + std::to_string(i) + "@x.io"));
  // Scores near bucket edges (255/256, 65535/65536), negative, null and near the int64 limits.
  const std::vector<std::string> scores = {"0",
                                           "1",
                                           "255",
                                           "256",
                                           "257",
                                           "65535",
                                           "65536",
                                           "-1",
                                           "-256",
                                           "-257",
                                           "NULL",
                                           "100000",
                                           "9223372036854775807",
                                           "-9223372036854775808"};
  for (int step = 0; step < 300; ++step) {
    const auto& user = users[rng() % users.size()];
    const std::string score =
        rng() % 2 ? scores[rng() % scores.size()] : std::to_string(rng() % 200000);
    switch (rng() % 4) {
      case 0:
      case 1:
        f.db().Exec("INSERT INTO leaderboard (user_id, total_score) VALUES ('" + user + "', " +
                    score + ") ON CONFLICT (user_id) DO UPDATE SET total_score = " + score);
        break;
      case 2:
        f.db().Exec("DELETE FROM leaderboard WHERE user_id = '" + user + "'");
        break;
      default:
        f.Complete(user, static_cast<double>(rng() % 101));
        break;
    }
    if (step % 30 == 29) {
      REQUIRE(Rows(f.db(), kHistogramStored) == Rows(f.db(), kHistogramRecounted));
      REQUIRE(RanksComputed(f.db()) == RanksExpected(f.db()));
    }
  }
  f.db().Exec("DELETE FROM auth_users WHERE id = '" + users[1] + "'");  // cascades, no hook
  CHECK(Rows(f.db(), kHistogramStored) == Rows(f.db(), kHistogramRecounted));
  CHECK(RanksComputed(f.db()) == RanksExpected(f.db()));
}

TEST_CASE("derived counts: rank is read-only, computed under filters and order") {
  GamificationFixture f;
  const std::string a = f.AddUser("a@x.io");
  const std::string b = f.AddUser("b@x.io");
  f.Complete(a, 50.0);
  f.Complete(b, 70.0);
  const std::string source = f.db().catalog().FindTable("leaderboard")->read_source;
  CHECK(f.db().catalog().FindTable("leaderboard")->IsComputed("rank"));
  CHECK_FALSE(f.db().catalog().FindTable("leaderboard")->IsComputed("total_score"));
  CHECK(Rows(f.db(), "SELECT t0.user_id FROM " + source + " AS t0 WHERE t0.rank = 2") == a + "|\n");
  CHECK(Rows(f.db(), "SELECT t0.rank FROM " + source + " AS t0 ORDER BY t0.rank DESC") ==
        "2|\n1|\n");
}

}  // namespace
}  // namespace ib::testing
