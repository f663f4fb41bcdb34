#include "server/files/byte_range.h"

#include <algorithm>
#include <charconv>

#include "storage/text.h"

namespace ib::files {
namespace {

// A run of decimal digits (no sign, no spaces); nullopt if empty, not digits, or overflowing.
std::optional<int64_t> Digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || ptr != s.data() + s.size() || out < 0) return std::nullopt;
  return out;
}

ByteRange Whole() { return ByteRange{}; }
ByteRange Unsatisfiable() { return ByteRange{ByteRange::Kind::kUnsatisfiable, 0, 0}; }
ByteRange Partial(int64_t first, int64_t last) {
  return ByteRange{ByteRange::Kind::kPartial, first, last};
}

}  // namespace

std::string ByteRange::ToString() const {
  switch (kind) {
    case Kind::kWhole:
      return "whole";
    case Kind::kUnsatisfiable:
      return "unsatisfiable";
    case Kind::kPartial:
      return std::to_string(first) + "-" + std::to_string(last);
  }
  return "?";
}

// Examples (size 1000):
//   bytes=0-99 -> 0-99       bytes=900- -> 900-999     bytes=-100 -> 900-999
//   bytes=990-2000 -> 990-999 (clamped)                bytes=-5000 -> 0-999
//   bytes=1000- -> unsatisfiable   bytes=-0 -> unsatisfiable
//   bytes=5-1, bytes=abc, items=0-1, bytes=0-1,5-6 -> whole (ignored)
ByteRange ParseByteRange(std::optional<std::string_view> header, int64_t size) {
  if (!header) return Whole();
  std::string_view value = storage::Trim(*header, storage::kHttpSpace);
  constexpr std::string_view kUnit = "bytes=";
  if (value.size() < kUnit.size()) return Whole();
  for (size_t i = 0; i < kUnit.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kUnit[i]) return Whole();
  }
  std::string_view spec = storage::Trim(value.substr(kUnit.size()), storage::kHttpSpace);
  if (spec.find(',') != std::string_view::npos) return Whole();
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return Whole();
  std::string_view a = storage::Trim(spec.substr(0, dash), storage::kHttpSpace);
  std::string_view b = storage::Trim(spec.substr(dash + 1), storage::kHttpSpace);
  if (a.empty()) {  // suffix range: the last n bytes
    auto n = Digits(b);
    if (!n) return Whole();
    if (*n == 0 || size == 0) return Unsatisfiable();
    return Partial(*n >= size ? 0 : size - *n, size - 1);
  }
  auto first = Digits(a);
  if (!first) return Whole();
  std::optional<int64_t> last;
  if (!b.empty()) {
    last = Digits(b);
    if (!last || *last < *first) return Whole();  // syntactically invalid: ignore
  }
  if (*first >= size) return Unsatisfiable();
  int64_t end = last ? std::min(*last, size - 1) : size - 1;
  return Partial(*first, end);
}

std::string ContentRangeHeader(const ByteRange& range, int64_t size) {
  if (range.kind == ByteRange::Kind::kPartial) {
    return "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" +
           std::to_string(size);
  }
  return "bytes */" + std::to_string(size);
}

}  // namespace ib::files
