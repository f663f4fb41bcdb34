// The pure rules behind hooks 5 and 6: level, rounding, calendar days and the streak step.
#include <doctest/doctest.h>

#include <cstdio>

#include "storage/error.h"
#include "storage/hooks/gamification.h"

namespace ib::storage::hooks {
namespace {

TEST_CASE("gamification: level = 1 + floor(sqrt(total_xp / 100)) at every threshold") {
  const std::pair<int64_t, int64_t> cases[] = {
      {0, 1},   {99, 1},   {100, 2},  {101, 2}, {399, 2},     {400, 3},     {899, 3},
      {900, 4}, {1599, 4}, {1600, 5}, {-50, 1}, {250000, 51}, {249999, 50},
  };
  for (const auto& [xp, level] : cases) {
    CAPTURE(xp);
    CHECK(LevelForXp(xp) == level);
  }
}

TEST_CASE("gamification: S rounds half away from zero, as Postgres rounds numerics") {
  CHECK(RoundedScore(SqlValue(87.5)) == 88);
  CHECK(RoundedScore(SqlValue(87.49)) == 87);
  CHECK(RoundedScore(SqlValue(0.5)) == 1);
  CHECK(RoundedScore(SqlValue(-0.5)) == -1);
  CHECK(RoundedScore(SqlValue(-2.49)) == -2);
  CHECK(RoundedScore(SqlValue(int64_t{100})) == 100);
  CHECK(RoundedScore(SqlValue()) == 0);
  CHECK(DivRoundHalfAway(8367, 1) == 8367);
  CHECK(DivRoundHalfAway(25101, 3) == 8367);  // 8367.0
  CHECK(DivRoundHalfAway(5, 2) == 3);
  CHECK(DivRoundHalfAway(-5, 2) == -3);
  CHECK(DivRoundHalfAway(7, 3) == 2);
  CHECK(DivRoundHalfAway(-7, 3) == -2);
}

TEST_CASE("gamification: day numbers cross month, year and leap boundaries") {
  CHECK(DayNumber("1970-01-01") == 0);
  CHECK(DayNumber("2024-02-01") - DayNumber("2024-01-31") == 1);
  CHECK(DayNumber("2024-01-01") - DayNumber("2023-12-31") == 1);
  CHECK(DayNumber("2024-02-29") - DayNumber("2024-02-28") == 1);
  CHECK(DayNumber("2024-03-01") - DayNumber("2024-02-29") == 1);
  CHECK(DayNumber("2023-03-01") - DayNumber("2023-02-28") == 1);
  CHECK(DayNumber("2025-01-01") - DayNumber("2024-01-01") == 366);
  CHECK_THROWS_AS(DayNumber("2024-13-01"), Error);
}

StreakState Streak(int64_t current, int64_t longest, const char* last) {
  StreakState s;
  s.current = current;
  s.longest = longest;
  if (last) {
    s.last = last;
    s.dates = {last};
  }
  return s;
}

TEST_CASE("gamification: the streak step, case by case") {
  struct Case {
    const char* name;
    StreakState before;
    const char* day;
    int64_t current, longest;
    const char* last;
  };
  const Case cases[] = {
      {"first activity", Streak(0, 0, nullptr), "2024-05-10", 1, 1, "2024-05-10"},
      {"same day", Streak(2, 4, "2024-05-10"), "2024-05-10", 2, 4, "2024-05-10"},
      {"next day", Streak(2, 2, "2024-05-10"), "2024-05-11", 3, 3, "2024-05-11"},
      {"gap of a day", Streak(5, 5, "2024-05-10"), "2024-05-12", 1, 5, "2024-05-12"},
      {"earlier day", Streak(3, 3, "2024-05-10"), "2024-05-08", 3, 3, "2024-05-10"},
      {"yesterday again", Streak(3, 3, "2024-05-10"), "2024-05-09", 3, 3, "2024-05-10"},
      {"month boundary", Streak(1, 1, "2024-01-31"), "2024-02-01", 2, 2, "2024-02-01"},
      {"year boundary", Streak(6, 6, "2023-12-31"), "2024-01-01", 7, 7, "2024-01-01"},
      {"leap day", Streak(1, 1, "2024-02-28"), "2024-02-29", 2, 2, "2024-02-29"},
      {"no leap day", Streak(1, 1, "2023-02-28"), "2023-03-01", 2, 2, "2023-03-01"},
      {"null last date resets", Streak(9, 9, nullptr), "2024-05-10", 1, 9, "2024-05-10"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    StreakState s = AdvanceStreak(c.before, c.day);
    CHECK(s.current == c.current);
    CHECK(s.longest == c.longest);
    CHECK(s.last.value_or("") == c.last);
  }
}

TEST_CASE("gamification: streak_data is sorted, unique and keeps the last 365 dates") {
  StreakState s;
  s = AdvanceStreak(s, "2024-05-10");
  s = AdvanceStreak(s, "2024-05-08");
  s = AdvanceStreak(s, "2024-05-10");
  s = AdvanceStreak(s, "2024-05-09");
  CHECK(s.dates == std::vector<std::string>{"2024-05-08", "2024-05-09", "2024-05-10"});

  // 392 distinct days (28 per month, so no gap logic matters here), oldest dropped first.
  StreakState long_run;
  std::vector<std::string> days;
  for (int m = 1; m <= 12; ++m) {
    for (int d = 1; d <= 28; ++d) {
      char buf[11];
      std::snprintf(buf, sizeof buf, "2023-%02d-%02d", m, d);
      days.emplace_back(buf);
    }
  }
  for (int m = 1; m <= 2; ++m) {
    for (int d = 1; d <= 28; ++d) {
      char buf[11];
      std::snprintf(buf, sizeof buf, "2024-%02d-%02d", m, d);
      days.emplace_back(buf);
    }
  }
  for (const auto& day : days) long_run = AdvanceStreak(long_run, day);
  REQUIRE(days.size() == 392);
  CHECK(long_run.dates.size() == kMaxStreakDates);
  CHECK(long_run.dates.front() == days[days.size() - kMaxStreakDates]);
  CHECK(long_run.dates.back() == "2024-02-28");
}

TEST_CASE("gamification: the ten achievement rules, each at its threshold and just below") {
  struct Case {
    const char* type;
    Progress at;
    Progress below;
  };
  auto P = [](int64_t done, std::optional<double> score, int64_t streak, int64_t voice) {
    Progress p;
    p.completed_interviews = done;
    p.score = score;
    p.current_streak = streak;
    p.voice_completed = voice;
    return p;
  };
  const Case cases[] = {
      {"first_interview", P(1, {}, 0, 0), P(0, {}, 0, 0)},
      {"interviews_5", P(5, {}, 0, 0), P(4, {}, 0, 0)},
      {"interviews_10", P(10, {}, 0, 0), P(9, {}, 0, 0)},
      {"interviews_25", P(25, {}, 0, 0), P(24, {}, 0, 0)},
      {"high_score", P(0, 90.0, 0, 0), P(0, 89.99, 0, 0)},
      {"perfect_score", P(0, 100.0, 0, 0), P(0, 99.99, 0, 0)},
      {"streak_3", P(0, {}, 3, 0), P(0, {}, 2, 0)},
      {"streak_7", P(0, {}, 7, 0), P(0, {}, 6, 0)},
      {"streak_30", P(0, {}, 30, 0), P(0, {}, 29, 0)},
      {"voice_5", P(0, {}, 0, 5), P(0, {}, 0, 4)},
  };
  REQUIRE(AchievementRules().size() == 10);
  for (const Case& c : cases) {
    CAPTURE(c.type);
    const AchievementRule* rule = nullptr;
    for (const auto& r : AchievementRules()) {
      if (r.type == c.type) rule = &r;
    }
    REQUIRE(rule != nullptr);
    CHECK(rule->unlocked(c.at));
    CHECK_FALSE(rule->unlocked(c.below));
    CHECK_FALSE(rule->title.empty());
    CHECK_FALSE(rule->description.empty());
  }
  CHECK_FALSE(AchievementRules()[4].unlocked(P(0, std::nullopt, 0, 0)));  // no score, no prize
}

}  // namespace
}  // namespace ib::storage::hooks
