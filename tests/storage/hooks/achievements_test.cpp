// Hook 5's achievements in the database: each unlocks exactly at its threshold, once, with
// its reward added to total_xp.
#include <doctest/doctest.h>

#include <cstdio>
#include <set>

#include "tests/support/gamification_fixture.h"

namespace ib::testing {
namespace {

std::set<std::string> Unlocked(GamificationFixture& f, const std::string& user) {
  std::set<std::string> out;
  for (const char* t :
       {"first_interview", "interviews_5", "interviews_10", "interviews_25", "high_score",
        "perfect_score", "streak_3", "streak_7", "streak_30", "voice_5"}) {
    if (f.HasAchievement(user, t)) out.insert(t);
  }
  return out;
}

// The date `n` days after 2024-01-01 (no month longer than 31 days is crossed in these tests).
std::string Day(int n) {
  static const int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int month = 0;
  while (n >= kMonthDays[month]) n -= kMonthDays[month++];
  char buf[64];
  std::snprintf(buf, sizeof buf, "2024-%02d-%02dT12:00:00Z", month + 1, n + 1);
  return buf;
}

TEST_CASE("achievements: interview counts unlock at 1, 5, 10 and 25, not one before") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  for (int i = 1; i <= 25; ++i) {
    CAPTURE(i);
    // Same day and a low score: only the count rules can fire.
    f.Complete(u, 10.0, "2024-05-01T10:00:00Z", "text");
    auto got = Unlocked(f, u);
    CHECK(got.count("first_interview") == 1);
    CHECK(got.count("interviews_5") == (i >= 5 ? 1u : 0u));
    CHECK(got.count("interviews_10") == (i >= 10 ? 1u : 0u));
    CHECK(got.count("interviews_25") == (i >= 25 ? 1u : 0u));
  }
  // 25 × (50 + 10) + 50 + 100 + 200 + 500.
  CHECK(f.Int("profiles", u, "total_xp") == 25 * 60 + 850);
  CHECK(f.Int("profiles", u, "level") == 5);  // 2350 xp
}

TEST_CASE("achievements: high and perfect scores use the interview's own score") {
  struct Case {
    double score;
    bool high, perfect;
  };
  const Case cases[] = {{89.99, false, false}, {89.5, false, false}, {90.0, true, false},
                        {99.99, true, false},  {99.5, true, false},  {100.0, true, true}};
  for (const Case& c : cases) {
    CAPTURE(c.score);
    GamificationFixture f;
    const std::string u = f.AddUser("ada@x.io");
    f.Complete(u, c.score);
    CHECK(f.HasAchievement(u, "high_score") == c.high);
    CHECK(f.HasAchievement(u, "perfect_score") == c.perfect);
  }
}

TEST_CASE("achievements: streaks unlock at 3, 7 and 30 consecutive days") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  for (int day = 0; day < 30; ++day) {
    CAPTURE(day);
    f.Complete(u, 10.0, Day(day), "text");
    const int streak = day + 1;
    CHECK(f.Int("streaks", u, "current_streak") == streak);
    CHECK(f.HasAchievement(u, "streak_3") == (streak >= 3));
    CHECK(f.HasAchievement(u, "streak_7") == (streak >= 7));
    CHECK(f.HasAchievement(u, "streak_30") == (streak >= 30));
  }
}

TEST_CASE("achievements: voice_5 counts completed voice sessions only") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  for (int i = 0; i < 4; ++i) f.Complete(u, 10.0, "2024-05-01T10:00:00Z", "voice");
  f.Complete(u, 10.0, "2024-05-01T10:00:00Z", "text");
  f.AddSession(u, {{"interview_type", std::string("voice")}});  // pending: not counted
  CHECK_FALSE(f.HasAchievement(u, "voice_5"));
  f.Complete(u, 10.0, "2024-05-01T10:00:00Z", "voice");
  CHECK(f.HasAchievement(u, "voice_5"));
}

TEST_CASE("achievements: each type is unlocked once, its reward added once") {
  GamificationFixture f;
  const std::string u = f.AddUser("ada@x.io");
  f.Complete(u, 100.0);
  const int64_t xp = f.Int("profiles", u, "total_xp");
  CHECK(xp == 50 + 100 + 50 + 100 + 250);
  f.Complete(u, 100.0);
  CHECK(f.Count("SELECT COUNT(*) FROM achievements WHERE user_id = ?", u) == 3);
  CHECK(f.Int("profiles", u, "total_xp") == xp + 150);
}

}  // namespace
}  // namespace ib::testing
