// Hook 5 through RowWriter: what one completion awards, and that it is awarded exactly once.
#include <doctest/doctest.h>

#include "storage/transaction.h"
#include "storage/values.h"
#include "tests/support/gamification_fixture.h"

namespace ib::testing {
namespace {

using storage::SqlValue;

TEST_CASE("completion: the first completion awards counters, XP, level, streak and a row") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  f.Complete(u, 87.5, "2024-05-10T09:00:00Z");
  // S = 88; XP = 50 + 88 + first_interview 50 = 188 -> level 2.
  CHECK(f.Int("profiles", u, "completed_interviews") == 1);
  CHECK(f.Real("profiles", u, "average_score") == doctest::Approx(87.5));
  CHECK(f.Int("profiles", u, "total_xp") == 188);
  CHECK(f.Int("profiles", u, "level") == 2);
  CHECK(f.Int("profiles", u, "streak_days") == 1);
  CHECK(f.Text("profiles", u, "last_activity_date") == "2024-05-10");
  CHECK(f.Int("streaks", u, "current_streak") == 1);
  CHECK(f.Int("streaks", u, "longest_streak") == 1);
  CHECK(f.Text("streaks", u, "streak_data") == R"(["2024-05-10"])");
  CHECK(f.HasAchievement(u, "first_interview"));
  CHECK(f.Count("SELECT COUNT(*) FROM achievements WHERE user_id = ?", u) == 1);
  CHECK(f.Int("leaderboard", u, "total_score") == 88);
  CHECK(f.Int("leaderboard", u, "total_xp") == 188);
  CHECK(f.Int("leaderboard", u, "rank") == 1);
  CHECK(f.Text("leaderboard", u, "last_updated") == storage::FormatTimestamptz(f.now));
}

TEST_CASE("completion: the achievement row carries title, description and reward") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  f.Complete(u, 95.0);
  auto row = f.db().Scalar(
      "SELECT json_object('title', title, 'description', description, 'xp', xp_reward) "
      "FROM achievements WHERE user_id = ? AND achievement_type = 'high_score'",
      {u});
  CHECK(std::get<std::string>(row) ==
        R"({"title":"High Achiever","description":"Scored 90 or more in an interview","xp":100})");
  // 50 + 95 + first_interview 50 + high_score 100.
  CHECK(f.Int("profiles", u, "total_xp") == 295);
}

TEST_CASE("completion: completed_at is stamped with the clock when missing, kept when given") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  const std::string a = f.Complete(u, 70.0);
  CHECK(f.Count("SELECT COUNT(*) FROM interview_sessions WHERE id = ? AND completed_at = '" +
                    storage::FormatTimestamptz(f.now) + "'",
                a) == 1);
  const std::string b = f.Complete(u, 70.0, "2024-05-01T08:30:00Z");
  CHECK(f.Count("SELECT COUNT(*) FROM interview_sessions WHERE id = ? AND "
                "completed_at = '2024-05-01T08:30:00.000000+00:00'",
                b) == 1);
  // Inserted already completed, without completed_at: stamped in the same write.
  const std::string c = f.AddSession(u, {{"status", std::string("completed")}});
  CHECK(f.Count("SELECT COUNT(*) FROM interview_sessions WHERE id = ? AND completed_at IS NOT NULL",
                c) == 1);
  CHECK(f.Int("profiles", u, "completed_interviews") == 3);
}

TEST_CASE("completion: exactly once per session, even when reopened and completed again") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  const std::string s = f.Complete(u, 80.0, "2024-05-10T09:00:00Z");
  const int64_t xp = f.Int("profiles", u, "total_xp");
  REQUIRE(xp == 180);

  f.UpdateSession(s, {{"overall_score", 99.0}});  // another update while completed
  CHECK(f.Int("profiles", u, "completed_interviews") == 1);
  CHECK(f.Int("profiles", u, "total_xp") == xp);

  f.UpdateSession(s, {{"status", std::string("in_progress")}});
  f.now += 86400LL * 1000000;
  f.UpdateSession(s, {{"status", std::string("completed")}, {"completed_at", SqlValue()}});
  CHECK(f.Int("profiles", u, "completed_interviews") == 1);
  CHECK(f.Int("profiles", u, "total_xp") == xp);
  CHECK(f.Int("streaks", u, "current_streak") == 1);
  CHECK(f.Count("SELECT COUNT(*) FROM ib_completed_sessions WHERE user_id = ?", u) == 1);
  CHECK(f.Count("SELECT COUNT(*) FROM achievements WHERE user_id = ?", u) == 1);
}

TEST_CASE("completion: a session inserted completed is awarded at insert, not again on update") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  const std::string s =
      f.AddSession(u, {{"status", std::string("completed")}, {"overall_score", 60.0}});
  CHECK(f.Int("profiles", u, "completed_interviews") == 1);
  CHECK(f.Int("profiles", u, "total_xp") == 160);
  f.UpdateSession(s, {{"title", std::string("renamed")}});
  CHECK(f.Int("profiles", u, "total_xp") == 160);
}

TEST_CASE("completion: average_score ignores null scores and rounds to 2 places - 0 when none") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  f.Complete(u, std::nullopt);
  CHECK(f.Real("profiles", u, "average_score") == 0);
  CHECK(f.Int("profiles", u, "total_xp") == 100);  // 50 + S(null)=0 + first_interview 50
  f.Complete(u, 80.0);
  CHECK(f.Real("profiles", u, "average_score") == doctest::Approx(80.0));
  f.Complete(u, 85.0);
  f.Complete(u, 86.0);
  CHECK(f.Real("profiles", u, "average_score") == doctest::Approx(83.67));  // 251 / 3
  // A pending session with a score is not completed and does not count.
  f.AddSession(u, {{"overall_score", 10.0}});
  CHECK(f.Real("profiles", u, "average_score") == doctest::Approx(83.67));
}

TEST_CASE("completion: level recomputed with XP - 100 xp reaches level 2") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  f.Complete(u, 0.0);  // 50 + 0 + first_interview 50 = 100
  CHECK(f.Int("profiles", u, "total_xp") == 100);
  CHECK(f.Int("profiles", u, "level") == 2);
  // Scores hold 0..100 (a CHECK), so no completion can leave a user below 100 xp any more.
  const std::string v = f.AddUser("bob@x.io");
  CHECK_THROWS_WITH(f.Complete(v, -1.0),
                    doctest::Contains("interview_sessions_overall_score_check"));
  CHECK(f.Int("profiles", v, "total_xp") == 0);
  CHECK(f.Int("profiles", v, "level") == 1);
}

TEST_CASE("completion: streak over consecutive, repeated, late and gapped days") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  f.Complete(u, 50.0, "2023-12-30T23:59:59Z");
  f.Complete(u, 50.0, "2023-12-31T00:00:00Z");
  f.Complete(u, 50.0, "2024-01-01T10:00:00Z");
  CHECK(f.Int("streaks", u, "current_streak") == 3);
  CHECK(f.HasAchievement(u, "streak_3"));
  f.Complete(u, 50.0, "2024-01-01T22:00:00Z");  // same day
  CHECK(f.Int("streaks", u, "current_streak") == 3);
  f.Complete(u, 50.0, "2023-12-25T10:00:00Z");  // an older interview recorded late
  CHECK(f.Int("streaks", u, "current_streak") == 3);
  CHECK(f.Text("streaks", u, "last_activity_date") == "2024-01-01");
  f.Complete(u, 50.0, "2024-01-03T10:00:00Z");  // gap
  CHECK(f.Int("streaks", u, "current_streak") == 1);
  CHECK(f.Int("streaks", u, "longest_streak") == 3);
  CHECK(f.Int("profiles", u, "streak_days") == 1);
  CHECK(f.Text("profiles", u, "last_activity_date") == "2024-01-03");
  CHECK(f.Text("streaks", u, "streak_data") ==
        R"(["2023-12-25","2023-12-30","2023-12-31","2024-01-01","2024-01-03"])");
}

TEST_CASE("completion: a hand-written streak_data is read as a list, then kept in its own form") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  f.Complete(u, 50.0, "2024-01-01T10:00:00Z");
  {
    auto w = f.Writer();
    const auto rowid = w.FindRowid("streaks", "user_id", SqlValue(u));
    REQUIRE(rowid);
    // Spaces, disorder, a duplicate and a non-string: not the hook's form, so it is parsed.
    w.Update("streaks", *rowid,
             {{"streak_data", std::string(R"([ "2023-12-31", 7, "2023-12-30", "2023-12-31" ])")}});
  }
  f.Complete(u, 50.0, "2024-01-02T10:00:00Z");
  CHECK(f.Text("streaks", u, "streak_data") == R"(["2023-12-30","2023-12-31","2024-01-02"])");
  CHECK(f.Int("streaks", u, "current_streak") == 2);
  f.Complete(u, 50.0, "2024-01-02T11:00:00Z");  // the same day, on the text
  f.Complete(u, 50.0, "2023-12-29T11:00:00Z");  // an earlier one, spliced in
  CHECK(f.Text("streaks", u, "streak_data") ==
        R"(["2023-12-29","2023-12-30","2023-12-31","2024-01-02"])");
  CHECK(f.Int("streaks", u, "current_streak") == 2);
  CHECK(f.Text("streaks", u, "last_activity_date") == "2024-01-02");
}

TEST_CASE("completion: a user without a profile is skipped gracefully, not given one") {
  GamificationFixture f;
  const std::string u = f.AddUser("ghost@x.io", false);
  CHECK_NOTHROW(f.Complete(u, 90.0));
  CHECK(f.Count("SELECT COUNT(*) FROM profiles WHERE id = ?", u) == 0);
  CHECK(f.Int("streaks", u, "current_streak") == 1);
  CHECK(f.HasAchievement(u, "first_interview"));
  CHECK(f.HasAchievement(u, "high_score"));
  CHECK(f.Int("leaderboard", u, "total_score") == 90);
  CHECK(f.Int("leaderboard", u, "total_xp") == 0);
  f.Complete(u, 90.0);
  CHECK(f.Count("SELECT COUNT(*) FROM achievements WHERE user_id = ?", u) == 2);
}

TEST_CASE("completion: a failing write after the hooks undoes every award") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  const std::string s = f.AddSession(u);
  {
    storage::Transaction tx(f.db().conn(), storage::Transaction::Mode::kWrite);
    f.UpdateSession(s, {{"status", std::string("completed")}, {"overall_score", 70.0}});
    CHECK(f.Int("profiles", u, "completed_interviews") == 1);
  }  // rolled back, as a request refused after its hooks ran
  CHECK(f.Int("profiles", u, "completed_interviews") == 0);
  CHECK(f.Count("SELECT COUNT(*) FROM achievements WHERE user_id = ?", u) == 0);
  CHECK(f.Count("SELECT COUNT(*) FROM leaderboard WHERE user_id = ?", u) == 0);
  f.UpdateSession(s, {{"status", std::string("completed")}, {"overall_score", 70.0}});
  CHECK(f.Int("profiles", u, "completed_interviews") == 1);  // and can be awarded later
}

}  // namespace
}  // namespace ib::testing
