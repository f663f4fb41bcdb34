#include "server/http/hot_wait_habit.h"

#include <doctest/doctest.h>

#include <chrono>

using ib::http::HotWaitHabit;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kWindow{2};

// How many chances in a row the habit skips before it waits again.
int SkipsBeforeNextWait(HotWaitHabit& habit) {
  int skipped = 0;
  while (!habit.WaitNow()) {
    ++skipped;
    REQUIRE(skipped <= static_cast<int>(HotWaitHabit::kMaxSkips));
  }
  return skipped;
}

// A habit that has missed four waits in a row, and skips its next chance: parked at `parked`.
HotWaitHabit ParkedAfterFourMisses(HotWaitHabit::Clock::time_point parked) {
  HotWaitHabit habit(kWindow);
  for (int i = 0; i < 4; ++i) {
    SkipsBeforeNextWait(habit);
    habit.Waited(false);
  }
  REQUIRE_FALSE(habit.WaitNow());
  habit.Parked(parked);
  return habit;
}

}  // namespace

TEST_CASE("hot wait habit: a prompt client is always waited for") {
  HotWaitHabit habit(kWindow);
  for (int i = 0; i < 100; ++i) {
    REQUIRE(habit.WaitNow());
    habit.Waited(true);
  }
  CHECK_FALSE(habit.AwaitsResume());
}

TEST_CASE("hot wait habit: each miss in a row doubles the chances skipped, up to the most") {
  HotWaitHabit habit(kWindow);
  REQUIRE(habit.WaitNow());
  habit.Waited(false);
  CHECK(SkipsBeforeNextWait(habit) == 1);
  habit.Waited(false);
  CHECK(SkipsBeforeNextWait(habit) == 3);
  habit.Waited(false);
  CHECK(SkipsBeforeNextWait(habit) == 7);
  habit.Waited(false);
  CHECK(SkipsBeforeNextWait(habit) == 15);
  habit.Waited(false);
  CHECK(SkipsBeforeNextWait(habit) == 31);
  // A paced client is still tried now and then, never given up on.
  for (int i = 0; i < 5; ++i) {
    habit.Waited(false);
    CHECK(SkipsBeforeNextWait(habit) == static_cast<int>(HotWaitHabit::kMaxSkips));
  }
}

TEST_CASE("hot wait habit: a wait met forgets the misses") {
  HotWaitHabit habit(kWindow);
  for (int i = 0; i < 3; ++i) {
    SkipsBeforeNextWait(habit);
    habit.Waited(false);
  }
  SkipsBeforeNextWait(habit);
  habit.Waited(true);
  CHECK(habit.WaitNow());
  // One miss after that starts over from a single skip.
  habit.Waited(false);
  CHECK(SkipsBeforeNextWait(habit) == 1);
}

TEST_CASE("hot wait habit: a skipped chance whose request came within the window ends the skips") {
  const HotWaitHabit::Clock::time_point parked{milliseconds(1000)};
  HotWaitHabit habit = ParkedAfterFourMisses(parked);
  CHECK(habit.AwaitsResume());
  habit.Resumed(parked + milliseconds(1));
  CHECK_FALSE(habit.AwaitsResume());
  CHECK(habit.WaitNow());
}

TEST_CASE("hot wait habit: a skipped chance whose request came later keeps skipping") {
  const HotWaitHabit::Clock::time_point parked{milliseconds(1000)};
  HotWaitHabit habit = ParkedAfterFourMisses(parked);
  habit.Resumed(parked + milliseconds(100));
  CHECK_FALSE(habit.AwaitsResume());
  // 15 skips after the fourth miss, one of them spent above.
  CHECK(SkipsBeforeNextWait(habit) == 14);
}

TEST_CASE("hot wait habit: without a skipped chance there is nothing to resume") {
  HotWaitHabit habit(kWindow);
  CHECK_FALSE(habit.AwaitsResume());
  habit.Waited(false);
  habit.Resumed(HotWaitHabit::Clock::time_point{milliseconds(5)});  // no park recorded: ignored
  CHECK(SkipsBeforeNextWait(habit) == 1);
}
