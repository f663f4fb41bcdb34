// Hook 5, streak part: one activity per UTC day (the date of completed_at), kept in the
// user's streaks row and mirrored into the profile by completion.cpp.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "storage/error.h"
#include "storage/hooks/gamification.h"
#include "storage/hooks/streak_dates.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::storage::hooks {
namespace {

// Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date, so month and
// year boundaries (and Feb 29) need no special cases.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::vector<std::string> ParseDates(const std::string& json_text) {
  std::vector<std::string> out;
  auto parsed = nlohmann::json::parse(json_text, nullptr, false);
  if (!parsed.is_array()) return out;  // a hand-written non-array starts the history afresh
  for (const auto& item : parsed) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

StreakState CountersFromRow(const RowData& row) {
  StreakState s;
  s.current = IntOf(row, "current_streak");
  s.longest = IntOf(row, "longest_streak");
  if (!IsNull(row, "last_activity_date")) s.last = TextOf(row, "last_activity_date");
  return s;
}

// current, longest and last after an activity on `day` (AdvanceStreak without the dates).
StreakState AdvanceCounters(StreakState s, const std::string& day) {
  const int64_t today = DayNumber(day);
  if (!s.last) {
    s.current = 1;
  } else {
    const int64_t delta = today - DayNumber(*s.last);
    if (delta == 1) s.current += 1;
    if (delta > 1) s.current = 1;
    // delta == 0 (same day) or < 0 (an interview recorded for an earlier day): unchanged.
  }
  s.longest = std::max(s.longest, s.current);
  if (!s.last || today > DayNumber(*s.last)) s.last = day;
  return s;
}

}  // namespace

int64_t DayNumber(std::string_view date) {
  const std::string d = NormalizeDate(date);  // throws 22007/22008 on a malformed date
  return DaysFromCivil(std::stoll(d.substr(0, 4)), std::stoll(d.substr(5, 2)),
                       std::stoll(d.substr(8, 2)));
}

StreakState AdvanceStreak(StreakState s, const std::string& day) {
  s = AdvanceCounters(std::move(s), day);
  auto at = std::lower_bound(s.dates.begin(), s.dates.end(), day);
  if (at == s.dates.end() || *at != day) s.dates.insert(at, day);
  if (s.dates.size() > kMaxStreakDates) {
    s.dates.erase(s.dates.begin(), s.dates.end() - static_cast<std::ptrdiff_t>(kMaxStreakDates));
  }
  return s;
}

StreakState ApplyStreakDay(HookContext& ctx, const std::string& user_id, const std::string& day) {
  RowWriter& w = ctx.writer;
  const std::string now = FormatTimestamptz(ctx.now_micros);
  auto found = w.FindRow("streaks", "user_id", user_id,
                         {"current_streak", "longest_streak", "last_activity_date", "streak_data"});
  if (!found) {
    const int64_t rowid =
        w.Insert("streaks", {{"user_id", user_id}, {"created_at", now}, {"updated_at", now}});
    auto stored = w.Read("streaks", rowid);  // the defaults as stored
    if (!stored) throw Error::Internal("streak row vanished");
    found = RowWriter::FoundRow{rowid, std::move(*stored)};
  }
  StreakState s = CountersFromRow(found->row);
  const std::string stored =
      IsNull(found->row, "streak_data") ? "[]" : TextOf(found->row, "streak_data");
  std::optional<std::string> dates = RecordDayInDates(stored, day, kMaxStreakDates);
  if (dates) {
    s = AdvanceCounters(std::move(s), day);
  } else {
    s.dates = ParseDates(stored);  // a hand-written form
    s = AdvanceStreak(std::move(s), day);
    dates = nlohmann::json(s.dates).dump();
  }
  RowData changes{{"current_streak", s.current},
                  {"longest_streak", s.longest},
                  {"last_activity_date", *s.last}};
  if (*dates != stored) changes.emplace("streak_data", std::move(*dates));
  w.Update("streaks", found->rowid, std::move(changes));
  return s;
}

}  // namespace ib::storage::hooks
