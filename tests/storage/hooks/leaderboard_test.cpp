// The leaderboard as the completion hook keeps it: score sums, time windows and shared ranks.
#include "storage/leaderboard.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/support/gamification_fixture.h"

namespace ib::testing {
namespace {

TEST_CASE("leaderboard: rank is 1 + the number of strictly greater scores, ties shared") {
  GamificationFixture f;
  const std::string a = f.AddUser("a@x.io");
  const std::string b = f.AddUser("b@x.io");
  const std::string c = f.AddUser("c@x.io");
  const std::string d = f.AddUser("d@x.io");
  f.Complete(a, 80.0);
  CHECK(f.Int("leaderboard", a, "rank") == 1);
  f.Complete(b, 80.0);
  f.Complete(c, 90.0);
  CHECK(f.Int("leaderboard", c, "rank") == 1);
  CHECK(f.Int("leaderboard", a, "rank") == 2);
  CHECK(f.Int("leaderboard", b, "rank") == 2);
  f.Complete(d, 70.0);
  CHECK(f.Int("leaderboard", d, "rank") == 4);
  f.Complete(d, 30.0);  // 100: overtakes everyone, the others move down
  CHECK(f.Int("leaderboard", d, "rank") == 1);
  CHECK(f.Int("leaderboard", c, "rank") == 2);
  CHECK(f.Int("leaderboard", a, "rank") == 3);
  CHECK(f.Int("leaderboard", b, "rank") == 3);
}

TEST_CASE("leaderboard: total sums S - weekly and monthly windows count back from now") {
  GamificationFixture f;
  f.now = Micros("2024-05-31T12:00:00Z");
  const std::string u = f.AddUser("a@x.io");
  f.Complete(u, 10.4, "2024-05-30T12:00:00Z");  // S 10: week and month
  f.Complete(u, 20.5, "2024-05-24T12:00:00Z");  // S 21: exactly 7 days ago: still this week
  f.Complete(u, 30.0, "2024-05-24T11:59:59Z");  // just outside the week, inside the month
  f.Complete(u, 40.0, "2024-05-01T12:00:00Z");  // exactly 30 days ago: in the month
  f.Complete(u, 50.0, "2024-04-01T12:00:00Z");  // neither
  CHECK(f.Int("leaderboard", u, "total_score") == 10 + 21 + 30 + 40 + 50);
  CHECK(f.Int("leaderboard", u, "weekly_score") == 31);
  CHECK(f.Int("leaderboard", u, "monthly_score") == 101);
}

TEST_CASE("leaderboard: the windows read one user's completed range of an index alone") {
  GamificationFixture f;
  f.now = Micros("2024-05-31T12:00:00Z");
  const std::string u = f.AddUser("a@x.io");
  for (int i = 0; i < 3; ++i) f.AddSession(u);
  f.Complete(u, 40.0, "2024-05-30T12:00:00Z");
  const storage::SqlQuery q = storage::leaderboard::UserScoresQuery(u, f.now);
  const std::string details = f.db().QueryPlan(q);
  CAPTURE(details);
  CHECK(details.find("USING COVERING INDEX interview_sessions_user_completed_idx (user_id=? AND "
                     "status=? AND completed_at>?)") != std::string::npos);
  CHECK(f.Int("leaderboard", u, "weekly_score") == 40);
}

TEST_CASE("leaderboard: RefreshAll ages the windows and rebuilds missing rows and ranks") {
  GamificationFixture f;
  const std::string a = f.AddUser("a@x.io");
  const std::string b = f.AddUser("b@x.io");
  f.Complete(a, 60.0, "2024-05-09T12:00:00Z");
  f.Complete(b, 50.0, "2024-05-09T12:00:00Z");
  CHECK(f.Int("leaderboard", a, "weekly_score") == 60);
  f.db().Exec("DELETE FROM leaderboard WHERE user_id = '" + b + "'");
  f.db().Exec("UPDATE leaderboard SET total_xp = 1");
  f.now = Micros("2024-05-20T12:00:00Z");
  auto w = f.Writer();
  storage::leaderboard::RefreshAll(w);
  CHECK(f.Int("leaderboard", a, "weekly_score") == 0);
  CHECK(f.Int("leaderboard", a, "monthly_score") == 60);
  CHECK(f.Int("leaderboard", a, "rank") == 1);
  CHECK(f.Int("leaderboard", a, "total_xp") == f.Int("profiles", a, "total_xp"));
  CHECK(f.Int("leaderboard", b, "total_score") == 50);
  CHECK(f.Int("leaderboard", b, "rank") == 2);
}

}  // namespace
}  // namespace ib::testing
