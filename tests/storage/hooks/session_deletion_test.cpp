// Hooks 4 and 6 on delete: counters, average and leaderboard follow the remaining sessions,
// while XP and achievements already earned stay.
#include <doctest/doctest.h>

#include "storage/row_writer.h"
#include "tests/support/gamification_fixture.h"

namespace ib::testing {
namespace {

TEST_CASE("session deletion: a completed session's removal recomputes stats and ranks") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  const std::string v = f.AddUser("b@x.io");
  f.Complete(u, 80.0);
  const std::string top = f.Complete(u, 90.0);
  f.Complete(v, 100.0);
  REQUIRE(f.Int("leaderboard", u, "rank") == 1);  // 170 vs 100
  const int64_t xp = f.Int("profiles", u, "total_xp");
  f.DeleteSession(top);
  CHECK(f.Int("profiles", u, "total_interviews") == 1);
  CHECK(f.Int("profiles", u, "completed_interviews") == 1);
  CHECK(f.Real("profiles", u, "average_score") == doctest::Approx(80.0));
  CHECK(f.Int("leaderboard", u, "total_score") == 80);
  CHECK(f.Int("leaderboard", u, "rank") == 2);
  CHECK(f.Int("leaderboard", v, "rank") == 1);
  CHECK(f.Int("profiles", u, "total_xp") == xp);
  CHECK(f.Int("leaderboard", u, "total_xp") == xp);
  CHECK(f.HasAchievement(u, "high_score"));
}

TEST_CASE("session deletion: the last completed session leaves zeros, not nulls") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  const std::string s = f.Complete(u, 75.0);
  f.DeleteSession(s);
  CHECK(f.Int("profiles", u, "completed_interviews") == 0);
  CHECK(f.Real("profiles", u, "average_score") == 0);
  CHECK(f.Int("leaderboard", u, "total_score") == 0);
  CHECK(f.Int("leaderboard", u, "rank") == 1);
}

TEST_CASE("session deletion: a pending session only moves total_interviews") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  f.Complete(u, 75.0);
  const std::string p = f.AddSession(u);
  CHECK(f.Int("profiles", u, "total_interviews") == 2);
  const std::string before = f.Text("leaderboard", u, "last_updated");
  f.now += 1000000;
  f.DeleteSession(p);
  CHECK(f.Int("profiles", u, "total_interviews") == 1);
  CHECK(f.Int("profiles", u, "completed_interviews") == 1);
  CHECK(f.Text("leaderboard", u, "last_updated") == before);
}

TEST_CASE("session deletion: removing a leaderboard row or its user reranks the others") {
  GamificationFixture f;
  const std::string a = f.AddUser("a@x.io");
  const std::string b = f.AddUser("b@x.io");
  const std::string c = f.AddUser("c@x.io");
  f.Complete(a, 90.0);
  f.Complete(b, 80.0);
  f.Complete(c, 70.0);
  auto w = f.Writer();
  w.Delete("leaderboard", *w.FindRowid("leaderboard", "user_id", a));
  CHECK(f.Int("leaderboard", b, "rank") == 1);
  w.Delete("auth_users", *w.FindRowid("auth_users", "id", b));
  CHECK(f.Int("leaderboard", c, "rank") == 1);
}

}  // namespace
}  // namespace ib::testing
