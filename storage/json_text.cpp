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

// `v` with `scale` fractional digits when the scaled value v * 10^scale is clearly not near a
// rounding tie, from one multiplication and integer digits; false otherwise (the caller then
// uses to_chars, which formats the exact binary value and cost ~300 instructions a number, the
// largest step of a list's numeric columns). Exact: for |r| < 2^40 the product r differs from
// the exact v * 10^scale by at most 2^-13, so when r is within 0.49 of the integer n, the exact
// value is within 0.5 of n and its correct rounding (what to_chars writes) is n as well.
bool AppendFixedFast(std::string& out, double v, int scale) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  static constexpr uint64_t kPow10Int[] = {1,      10,      100,      1000,      10000,
                                           100000, 1000000, 10000000, 100000000, 1000000000};
  if (scale < 0 || scale > 9) return false;
  const double r = v * kPow10[scale];
  if (!(std::fabs(r) < 0x1p40)) return false;  // also NaN and infinities
  const double n = std::nearbyint(r);
  if (!(std::fabs(r - n) < 0.49)) return false;
  const auto whole = static_cast<int64_t>(n);
  // Postgres never renders a negative zero, and n == 0 is zero whatever the sign of v.
  if (whole < 0) out += '-';
  const uint64_t magnitude =
      whole < 0 ? 0 - static_cast<uint64_t>(whole) : static_cast<uint64_t>(whole);
  const uint64_t unit = kPow10Int[scale];
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, magnitude / unit);
  out.append(buf, res.ptr);
  if (scale == 0) return true;
  out += '.';
  uint64_t fraction = magnitude % unit;
  char digits[9];
  for (int i = scale - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  out.append(digits, static_cast<size_t>(scale));
  return true;
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
    // Fewer than 8 bytes left: the last 8 of the string, read again in part, answer for them
    // all at once when none needs escaping (bytes before i were clean, or are being passed).
    if (i < s.size() && i + 8 > s.size() && s.size() >= 8) {
      uint64_t word;
      std::memcpy(&word, s.data() + s.size() - 8, 8);
      if (!NeedsEscape8(word)) i = s.size();
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
  if (AppendFixedFast(out, v, scale)) return;
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
