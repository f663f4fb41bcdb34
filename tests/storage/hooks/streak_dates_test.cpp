// streak_data updated on its text: the same result as parsing, inserting, trimming and dumping,
// for every list in the hook's own form; any other form is left to the parse.
#include "storage/hooks/streak_dates.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace ib::storage::hooks {
namespace {

std::string Date(int day_index) {  // distinct, ascending with the index
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", 2000 + day_index / 372, 1 + day_index / 31 % 12,
                1 + day_index % 31);
  return buf;
}

// What the hook did before: insert into the sorted set, keep the newest `max_dates`, dump.
std::string Reference(const std::vector<std::string>& dates, const std::string& day,
                      size_t max_dates) {
  std::set<std::string> all(dates.begin(), dates.end());
  all.insert(day);
  std::vector<std::string> kept(all.begin(), all.end());
  if (kept.size() > max_dates) {
    kept.erase(kept.begin(), kept.end() - static_cast<std::ptrdiff_t>(max_dates));
  }
  return nlohmann::json(kept).dump();
}

TEST_CASE("streak dates: recording a day on the text gives what the parse gave") {
  std::mt19937 rng(20261206);
  for (int round = 0; round < 3000; ++round) {
    const size_t max_dates = round % 3 == 0 ? 5 : 365;
    std::uniform_int_distribution<size_t> count(0, max_dates);
    std::set<int> picked;
    const size_t n = count(rng);
    while (picked.size() < n) picked.insert(std::uniform_int_distribution<int>(0, 2000)(rng));
    std::vector<std::string> dates;
    for (int i : picked) dates.push_back(Date(i));
    // The day: one already listed, or any other (before, between or after the listed ones).
    std::string day = Date(std::uniform_int_distribution<int>(0, 2100)(rng));
    if (!dates.empty() && round % 2 == 0) {
      day = dates[std::uniform_int_distribution<size_t>(0, dates.size() - 1)(rng)];
    }
    const std::string stored = nlohmann::json(dates).dump();
    CAPTURE(stored);
    CAPTURE(day);
    const auto recorded = RecordDayInDates(stored, day, max_dates);
    REQUIRE(recorded);
    CHECK(*recorded == Reference(dates, day, max_dates));
  }
}

TEST_CASE("streak dates: the edges of the list") {
  CHECK(RecordDayInDates("[]", "2024-05-10", 365) == R"(["2024-05-10"])");
  CHECK(RecordDayInDates(R"(["2024-05-10"])", "2024-05-10", 365) == R"(["2024-05-10"])");
  CHECK(RecordDayInDates(R"(["2024-05-10"])", "2024-05-09", 365) ==
        R"(["2024-05-09","2024-05-10"])");
  CHECK(RecordDayInDates(R"(["2024-05-10"])", "2024-05-11", 365) ==
        R"(["2024-05-10","2024-05-11"])");
  // Full: the oldest goes, and a day older than every kept one is itself the one dropped.
  CHECK(RecordDayInDates(R"(["2024-05-10","2024-05-12"])", "2024-05-11", 2) ==
        R"(["2024-05-11","2024-05-12"])");
  CHECK(RecordDayInDates(R"(["2024-05-10","2024-05-12"])", "2024-05-01", 2) ==
        R"(["2024-05-10","2024-05-12"])");
}

TEST_CASE("streak dates: any other form is left to the parse") {
  const char* const others[] = {
      "",
      "[",
      "null",
      "{}",
      "[ ]",
      R"([ "2024-05-10"])",
      R"(["2024-05-10" ])",
      R"(["2024-05-10",])",
      R"(["2024-05-10")",
      R"(["2024-05-10"]])",
      R"(["2024-05-10", "2024-05-11"])",
      R"(["2024-05-11","2024-05-10"])",  // not sorted
      R"(["2024-05-10","2024-05-10"])",  // not unique
      R"(["2024/05/10"])",
      R"(["2024-05-1\u0030"])",
      R"(["2024-05-100"])",
      R"(["2024-05-1"])",
      R"([20240510000])",
      R"(["abcdefghij"])",
      "[\"2024-05-10\"]\n",
  };
  for (const char* text : others) {
    CAPTURE(text);
    CHECK_FALSE(RecordDayInDates(text, "2024-05-12", 365));
  }
  // More dates than kept: the parse trims them.
  CHECK_FALSE(RecordDayInDates(R"(["2024-05-10","2024-05-11","2024-05-12"])", "2024-05-13", 2));
  // A day that is not a date's text.
  CHECK_FALSE(RecordDayInDates("[]", "2024-5-10", 365));
  CHECK_FALSE(RecordDayInDates("[]", "2024-05-10T", 365));
  CHECK_FALSE(RecordDayInDates("[]", "2024\"05-10", 365));
}

}  // namespace
}  // namespace ib::storage::hooks
