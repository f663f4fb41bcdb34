#include "storage/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace ib::storage {

namespace {

// Whether one of the 8 bytes of `w` must be escaped in a JSON string: below 0x20, '"' or '\\'.
// Exact (the classic "has a byte less than n" / "has a zero byte" bit tricks); bytes of 0x80
// and above (UTF-8 sequences) never count.
bool NeedsEscape8(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const auto has_zero = [&](uint64_t x) { return (x - kOnes) & ~x & kHighs; };
  const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;
  return (below_space | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run_start = 0;
  size_t i = 0;
  while (i < s.size()) {
    // Most text has nothing to escape: skip it 8 bytes at a time (a list's rendering spent
    // 6 % of the server's CPU in this loop byte by byte).
    while (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (NeedsEscape8(word)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i++]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run_start, i - 1 - run_start);
    run_start = i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + run_start, s.size() - run_start);
  out.push_back('"');
}

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void AppendDecimal(std::string& out, double v, int scale) {
  if (!std::isfinite(v)) {  // JSON has no NaN/Infinity; Postgres numeric renders NaN as a string
    out += "null";
    return;
  }
  char buf[64];
  std::to_chars_result res{};
  if (scale < 0) {
    res = std::to_chars(buf, buf + sizeof buf, v);
  } else {
    res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, scale);
  }
  if (res.ec != std::errc()) {
    int n = std::snprintf(buf, sizeof buf, "%.17g", v);
    out.append(buf, static_cast<size_t>(n));
    return;
  }
  std::string_view text(buf, static_cast<size_t>(res.ptr - buf));
  if (text == "-0" || text.rfind("-0.", 0) == 0) {
    // Postgres never renders a negative zero: -0.00 is 0.00.
    bool all_zero = text.find_first_not_of("-0.") == std::string_view::npos;
    if (all_zero) text.remove_prefix(1);
  }
  out.append(text);
}

}  // namespace ib::storage
