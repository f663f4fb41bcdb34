#include "storage/hooks/streak_dates.h"

#include <algorithm>
#include <vector>

namespace ib::storage::hooks {
namespace {

constexpr size_t kDateChars = 10;               // YYYY-MM-DD
constexpr size_t kEntryChars = kDateChars + 2;  // with its quotes
constexpr size_t kStride = kEntryChars + 1;     // and the ',' or ']' after it

bool IsDateShaped(std::string_view text) {
  return text.size() == kDateChars && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || c == '-';
         });
}

// The dates of `stored` in order, or nullopt if it is not in the hook's own form.
std::optional<std::vector<std::string_view>> SplitDates(std::string_view stored, size_t max_dates) {
  std::vector<std::string_view> dates;
  if (stored == "[]") return dates;
  if (stored.size() < 1 + kStride || stored.front() != '[' || (stored.size() - 1) % kStride != 0) {
    return std::nullopt;
  }
  const size_t n = (stored.size() - 1) / kStride;
  if (n > max_dates) return std::nullopt;
  dates.reserve(n + 1);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view entry = stored.substr(1 + i * kStride, kStride);
    const char after = i + 1 == n ? ']' : ',';
    if (entry[0] != '"' || entry[kEntryChars - 1] != '"' || entry[kEntryChars] != after) {
      return std::nullopt;
    }
    const std::string_view date = entry.substr(1, kDateChars);
    if (!IsDateShaped(date) || (!dates.empty() && !(dates.back() < date))) return std::nullopt;
    dates.push_back(date);
  }
  return dates;
}

}  // namespace

std::optional<std::string> RecordDayInDates(std::string_view stored, std::string_view day,
                                            size_t max_dates) {
  if (!IsDateShaped(day)) return std::nullopt;
  auto dates = SplitDates(stored, max_dates);
  if (!dates) return std::nullopt;
  const auto at = std::lower_bound(dates->begin(), dates->end(), day);
  if (at != dates->end() && *at == day) return std::string(stored);
  dates->insert(at, day);
  const size_t drop = dates->size() > max_dates ? dates->size() - max_dates : 0;
  std::string out;
  out.reserve(1 + (dates->size() - drop) * kStride + 1);
  out += '[';
  for (size_t i = drop; i < dates->size(); ++i) {
    if (i != drop) out += ',';
    out += '"';
    out += (*dates)[i];
    out += '"';
  }
  out += ']';
  return out;
}

}  // namespace ib::storage::hooks
