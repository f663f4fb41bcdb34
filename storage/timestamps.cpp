// Timestamps and dates for the value codec (values.h): ISO-8601 / Postgres input -> canonical
// UTC text, and canonical text <-> unix microseconds. Calendar arithmetic is the proleptic
// Gregorian days-from-civil / civil-from-days pair, never timegm/mktime/locale, so no clock, no
// time zone database and no global state is involved. Range: 0001-01-01 .. 9999-12-31 UTC.
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/error.h"
#include "storage/values.h"

namespace ib::storage {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kMicrosPerDay = kSecondsPerDay * kMicrosPerSecond;
constexpr std::string_view kTimestamptzName = "timestamp with time zone";

// Howard Hinnant's algorithms (howardhinnant.github.io/date_algorithms.html): days since
// 1970-01-01 for a civil date, and back.
constexpr int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct CivilDate {
  int64_t year;
  int64_t month;
  int64_t day;
};

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

constexpr int64_t kMinMicros = DaysFromCivil(1, 1, 1) * kMicrosPerDay;
constexpr int64_t kMaxMicros = (DaysFromCivil(9999, 12, 31) + 1) * kMicrosPerDay - 1;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// What went wrong, so each entry point can phrase the error with its own type name.
enum class Fault { kNone, kSyntax, kRange, kZone };

struct Fields {
  int64_t year = 0, month = 0, day = 0;
  int64_t hour = 0, minute = 0, second = 0;
  int64_t micros = 0;          // fraction rounded half up to microseconds; may reach 1000000
  int64_t offset_seconds = 0;  // east of UTC
};

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool AtEnd() const { return i_ == s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[i_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i_;
    return true;
  }
  bool EatWordIgnoreCase(std::string_view w) {
    if (s_.size() - i_ < w.size()) return false;
    for (size_t k = 0; k < w.size(); ++k) {
      if ((s_[i_ + k] | 0x20) != w[k]) return false;
    }
    i_ += w.size();
    return true;
  }
  bool SkipSpaces() {
    const size_t start = i_;
    while (!AtEnd() && IsSpace(s_[i_])) ++i_;
    return i_ != start;
  }
  // Reads a run of up to `max` digits into `out`; false unless at least `min` were read.
  bool Number(size_t min, size_t max, int64_t& out) {
    size_t n = 0;
    out = 0;
    while (n < max && !AtEnd() && IsDigit(s_[i_])) out = out * 10 + (s_[i_++] - '0'), ++n;
    return n >= min;
  }
  // Reads the whole digit run (for fractions).
  std::string_view DigitRun() {
    const size_t start = i_;
    while (!AtEnd() && IsDigit(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// Fraction digits -> microseconds, rounding half up on the 7th digit (".1234565" -> 123457).
int64_t FractionMicros(std::string_view digits) {
  int64_t micros = 0;
  for (size_t k = 0; k < 6; ++k) micros = micros * 10 + (k < digits.size() ? digits[k] - '0' : 0);
  if (digits.size() > 6 && digits[6] >= '5') ++micros;
  return micros;
}

// HH:MM[:SS[.fff...]]
Fault ParseTime(Cursor& c, Fields& f) {
  if (!c.Number(1, 2, f.hour) || !c.Eat(':') || !c.Number(1, 2, f.minute)) return Fault::kSyntax;
  if (!c.Eat(':')) return Fault::kNone;
  if (!c.Number(1, 2, f.second)) return Fault::kSyntax;
  if (!c.Eat('.')) return Fault::kNone;
  const std::string_view digits = c.DigitRun();
  if (digits.empty()) return Fault::kSyntax;
  f.micros = FractionMicros(digits);
  return Fault::kNone;
}

// Z | z | UTC | GMT | ±H[H] | ±H[H]:MM[:SS] | ±HHMM | ±HHMMSS
Fault ParseZone(Cursor& c, Fields& f) {
  if (c.Eat('Z') || c.Eat('z') || c.EatWordIgnoreCase("utc") || c.EatWordIgnoreCase("gmt")) {
    return Fault::kNone;
  }
  const char sign = c.Peek();
  if (sign != '+' && sign != '-') return Fault::kSyntax;
  c.Eat(sign);
  int64_t run = 0, h = 0, m = 0, s = 0;
  Cursor probe = c;
  const size_t len = probe.DigitRun().size();
  if (!c.Number(1, 6, run)) return Fault::kSyntax;
  if (c.Eat(':')) {
    if (len > 2 || !c.Number(2, 2, m)) return Fault::kSyntax;
    if (c.Eat(':') && !c.Number(2, 2, s)) return Fault::kSyntax;
    h = run;
  } else if (len <= 2) {
    h = run;
  } else if (len == 4) {
    h = run / 100, m = run % 100;
  } else if (len == 6) {
    h = run / 10000, m = run / 100 % 100, s = run % 100;
  } else {
    return Fault::kSyntax;
  }
  // Postgres accepts displacements up to 15:59:59.
  if (h > 15 || m > 59 || s > 59) return Fault::kZone;
  f.offset_seconds = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60 + s);
  return Fault::kNone;
}

// Postgres' checks: 24:00:00 only exactly; second 60 is accepted and rolls into the next minute.
Fault CheckRanges(const Fields& f) {
  if (f.year < 1 || f.month < 1 || f.month > 12) return Fault::kRange;
  if (f.day < 1 || f.day > DaysInMonth(f.year, f.month)) return Fault::kRange;
  if (f.minute > 59 || f.second > 60 || f.hour > 24) return Fault::kRange;
  if (f.hour == 24 && (f.minute > 0 || f.second > 0 || f.micros > 0)) return Fault::kRange;
  return Fault::kNone;
}

// YYYY-MM-DD[(T|t|spaces)HH:MM[:SS[.f+]][spaces][zone]], surrounded by optional whitespace.
Fault ParseFields(std::string_view text, Fields& f) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  Cursor c(text);
  if (!c.Number(4, 4, f.year) || !c.Eat('-') || !c.Number(1, 2, f.month) || !c.Eat('-') ||
      !c.Number(1, 2, f.day)) {
    return Fault::kSyntax;
  }
  if (!c.AtEnd()) {
    const bool t = c.Eat('T') || c.Eat('t');
    if (!t && !c.SkipSpaces()) return Fault::kSyntax;
    if (Fault fault = ParseTime(c, f); fault != Fault::kNone) return fault;
    c.SkipSpaces();
    if (!c.AtEnd()) {
      if (Fault fault = ParseZone(c, f); fault != Fault::kNone) return fault;
    }
    if (!c.AtEnd()) return Fault::kSyntax;
  }
  return CheckRanges(f);
}

[[noreturn]] void Throw(Fault fault, std::string_view type_name, std::string_view text) {
  if (fault == Fault::kRange) throw Error::DatetimeOutOfRange(text);
  if (fault == Fault::kZone) throw Error::TimeZoneOutOfRange(text);
  throw Error::InvalidDatetime(type_name, text);
}

void PutDigits(std::string& out, int64_t v, int width) {
  char buf[20];
  for (int k = width - 1; k >= 0; --k, v /= 10) buf[k] = static_cast<char>('0' + v % 10);
  out.append(buf, static_cast<size_t>(width));
}

void PutDate(std::string& out, int64_t y, int64_t m, int64_t d) {
  PutDigits(out, y, 4);
  out.push_back('-');
  PutDigits(out, m, 2);
  out.push_back('-');
  PutDigits(out, d, 2);
}

}  // namespace

std::string NormalizeTimestamptz(std::string_view text) {
  Fields f;
  if (Fault fault = ParseFields(text, f); fault != Fault::kNone) {
    Throw(fault, kTimestamptzName, text);
  }
  const int64_t seconds = DaysFromCivil(f.year, f.month, f.day) * kSecondsPerDay + f.hour * 3600 +
                          f.minute * 60 + f.second - f.offset_seconds;
  const int64_t micros = seconds * kMicrosPerSecond + f.micros;
  if (micros < kMinMicros || micros > kMaxMicros) throw Error::DatetimeOutOfRange(text);
  return FormatTimestamptz(micros);
}

// Postgres date_in reads the date as written and ignores any time and zone that follow.
std::string NormalizeDate(std::string_view text) {
  Fields f;
  if (Fault fault = ParseFields(text, f); fault != Fault::kNone) Throw(fault, "date", text);
  std::string out;
  PutDate(out, f.year, f.month, f.day);
  return out;
}

std::string FormatTimestamptz(int64_t unix_micros) {
  if (unix_micros < kMinMicros || unix_micros > kMaxMicros) {
    throw Error::DatetimeOutOfRange(std::to_string(unix_micros));
  }
  int64_t days = unix_micros / kMicrosPerDay;
  int64_t rem = unix_micros % kMicrosPerDay;
  if (rem < 0) rem += kMicrosPerDay, --days;
  const CivilDate d = CivilFromDays(days);
  const int64_t secs = rem / kMicrosPerSecond;
  std::string out;
  out.reserve(32);
  PutDate(out, d.year, d.month, d.day);
  out.push_back('T');
  PutDigits(out, secs / 3600, 2);
  out.push_back(':');
  PutDigits(out, secs / 60 % 60, 2);
  out.push_back(':');
  PutDigits(out, secs % 60, 2);
  out.push_back('.');
  PutDigits(out, rem % kMicrosPerSecond, 6);
  out += "+00:00";
  return out;
}

int64_t ParseCanonicalTimestamptz(std::string_view canonical) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.dddddd+00:00";
  const auto fail = [&] { return Error::InvalidDatetime(kTimestamptzName, canonical); };
  if (canonical.size() != kShape.size()) throw fail();
  for (size_t k = 0; k < kShape.size(); ++k) {
    const bool ok = kShape[k] == 'd' ? IsDigit(canonical[k]) : canonical[k] == kShape[k];
    if (!ok) throw fail();
  }
  const auto num = [&](size_t pos, size_t len) {
    int64_t v = 0;
    for (size_t k = pos; k < pos + len; ++k) v = v * 10 + (canonical[k] - '0');
    return v;
  };
  const int64_t y = num(0, 4), mo = num(5, 2), d = num(8, 2);
  const int64_t h = num(11, 2), mi = num(14, 2), s = num(17, 2), us = num(20, 6);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 ||
      s > 59) {
    throw fail();
  }
  const int64_t seconds = DaysFromCivil(y, mo, d) * kSecondsPerDay + h * 3600 + mi * 60 + s;
  return seconds * kMicrosPerSecond + us;
}

}  // namespace ib::storage
