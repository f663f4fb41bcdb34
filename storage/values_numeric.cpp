// The value codec's numbers and booleans (values.h, values_internal.h): int/bigint follow
// pg_strtoint32/64, numeric follows numeric_in (rounded on the decimal digits, then stored as
// REAL), real follows float8in, bool follows boolin. Dispatch lives in values.cpp.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "storage/error.h"
#include "storage/values_internal.h"

namespace ib::storage::values_internal {
namespace {

using nlohmann::json;
using Kind = ValueKind;

// ---- int / bigint ----

[[noreturn]] void OutOfRange(const ColumnType& t, std::string_view value) {
  throw Error::NumericOutOfRange(
      "value \"" + std::string(value) + "\" is out of range for type " + t.PgName(), std::nullopt);
}

int64_t CheckIntRange(const ColumnType& t, bool negative, uint64_t magnitude, bool overflow,
                      std::string_view text) {
  const uint64_t max = t.kind == Kind::kInt ? std::numeric_limits<int32_t>::max()
                                            : std::numeric_limits<int64_t>::max();
  if (overflow || magnitude > max + (negative ? 1 : 0)) OutOfRange(t, text);
  if (!negative || magnitude == 0) return static_cast<int64_t>(magnitude);
  return -static_cast<int64_t>(magnitude - 1) - 1;
}

}  // namespace

// pg_strtoint32/64: [ws][+|-]digits[ws].
int64_t IntFromText(const ColumnType& t, std::string_view text) {
  std::string_view s = Trim(text);
  const bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) Bad(t, text);
  uint64_t magnitude = 0;
  bool overflow = false;
  for (char c : s) {
    if (!IsDigit(c)) Bad(t, text);
    overflow = overflow || magnitude > (std::numeric_limits<uint64_t>::max() - 9) / 10;
    if (!overflow) magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
  }
  return CheckIntRange(t, negative, magnitude, overflow, text);
}

// JSON numbers are taken by value: 1.5 is not an integer (22P02), 2.0 and 1e3 are, 1e20 is out
// of range (22003).
int64_t IntFromJson(const ColumnType& t, const json& v) {
  if (v.is_string()) return IntFromText(t, v.get_ref<const std::string&>());
  if (v.is_number_unsigned()) return CheckIntRange(t, false, v.get<uint64_t>(), false, v.dump());
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    const uint64_t magnitude = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
    return CheckIntRange(t, i < 0, magnitude, false, v.dump());
  }
  if (!v.is_number_float()) Bad(t, DumpJson(v));
  const double d = v.get<double>();
  if (std::trunc(d) != d) Bad(t, v.dump());
  const bool fits = d > -9223372036854775808.0 && d < 9223372036854775808.0;
  return CheckIntRange(t, d < 0, fits ? static_cast<uint64_t>(std::fabs(d)) : 0, !fits, v.dump());
}

namespace {

// ---- numeric / real ----

// A numeric literal as 0.DIGITS x 10^point, digits without leading/trailing zeros (empty = 0).
struct Decimal {
  bool negative = false;
  enum class Special { kNone, kNaN, kInfinity } special = Special::kNone;
  std::string digits;
  int64_t point = 0;
  int64_t exponent = 0;  // as written (clamped); numeric_in refuses |exponent| > 1000
};

// numeric_in / float8in syntax: [ws][+|-](d+[.d*]|.d+)[(e|E)[+|-]d+][ws], NaN, [+|-]Infinity/inf.
std::optional<Decimal> ParseDecimal(std::string_view text) {
  std::string_view s = Trim(text);
  Decimal d;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) d.negative = s[0] == '-', s.remove_prefix(1);
  if (EqualsIgnoreCase(s, "nan")) d.special = Decimal::Special::kNaN;
  if (EqualsIgnoreCase(s, "infinity") || EqualsIgnoreCase(s, "inf")) {
    d.special = Decimal::Special::kInfinity;
  }
  if (d.special != Decimal::Special::kNone) return d;
  std::string mantissa;
  int64_t int_digits = 0;
  bool point = false;
  size_t i = 0;
  for (; i < s.size() && (IsDigit(s[i]) || (s[i] == '.' && !point)); ++i) {
    if (s[i] == '.')
      point = true;
    else
      mantissa.push_back(s[i]), int_digits += point ? 0 : 1;
  }
  if (mantissa.empty()) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    const bool negative = ++i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const size_t start = i;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      d.exponent = std::min<int64_t>(d.exponent * 10 + (s[i] - '0'), 1000000);
    }
    if (i == start) return std::nullopt;
    if (negative) d.exponent = -d.exponent;
  }
  if (i != s.size()) return std::nullopt;
  const size_t lead = mantissa.find_first_not_of('0');
  if (lead == std::string::npos) return d;
  d.digits = mantissa.substr(lead, mantissa.find_last_not_of('0') + 1 - lead);
  d.point = int_digits - static_cast<int64_t>(lead) + d.exponent;
  return d;
}

// Rounds half away from zero to `scale` fractional digits, on the decimal digits themselves.
void RoundTo(Decimal& d, int scale) {
  const int64_t keep = d.point + scale;
  if (keep >= static_cast<int64_t>(d.digits.size())) return;
  const bool up = keep >= 0 && d.digits[static_cast<size_t>(keep)] >= '5';
  d.digits.resize(static_cast<size_t>(std::max<int64_t>(keep, 0)));
  if (up) {
    size_t i = d.digits.size();
    while (i > 0 && d.digits[i - 1] == '9') d.digits[--i] = '0';
    if (i == 0)
      d.digits.insert(d.digits.begin(), '1'), ++d.point;
    else
      ++d.digits[i - 1];
  }
  d.digits.erase(std::min(d.digits.size(), d.digits.find_last_not_of('0') + 1));
}

enum class Conversion { kOk, kOverflow, kUnderflow };

Conversion ToDouble(const Decimal& d, double& out) {
  out = 0;
  if (d.digits.empty()) return Conversion::kOk;
  const std::string lit =
      d.digits + "e" + std::to_string(d.point - static_cast<int64_t>(d.digits.size()));
  const auto res = std::from_chars(lit.data(), lit.data() + lit.size(), out);
  if (res.ec != std::errc() || std::isinf(out) || out == 0) {
    out = 0;
    return d.point > 0 ? Conversion::kOverflow : Conversion::kUnderflow;
  }
  if (d.negative) out = -out;
  return Conversion::kOk;
}

// Postgres' 22003 for numeric(p,s): "A field with precision 5, scale 2 <tail>".
Error NumericFieldOverflow(const ColumnType& t, const std::string& tail) {
  return Error::NumericOutOfRange("numeric field overflow",
                                  "A field with precision " + std::to_string(t.precision) +
                                      ", scale " + std::to_string(t.scale) + tail);
}

}  // namespace

// NaN and infinities have no JSON form and SQLite stores NaN as NULL, so they are refused;
// Postgres itself refuses only an infinity in a constrained numeric (22003).
double NumericFromText(const ColumnType& t, std::string_view text) {
  auto d = ParseDecimal(text);
  if (!d || d->exponent > 1000 || d->exponent < -1000) Bad(t, text);
  if (d->special == Decimal::Special::kInfinity && t.precision > 0) {
    throw NumericFieldOverflow(t, " cannot hold an infinite value.");
  }
  if (d->special != Decimal::Special::kNone) Bad(t, text);
  if (t.scale >= 0) RoundTo(*d, t.scale);
  const int max_digits = t.precision - t.scale;
  if (t.precision > 0 && !d->digits.empty() && d->point > max_digits) {
    throw NumericFieldOverflow(
        t, " must round to an absolute value less than " +
               (max_digits != 0 ? "10^" + std::to_string(max_digits) : std::string("1")) + ".");
  }
  double v = 0;
  if (ToDouble(*d, v) == Conversion::kOverflow) {
    throw Error::NumericOutOfRange("value overflows numeric format", std::nullopt);
  }
  return v;
}

double NumericFromJson(const ColumnType& t, const json& v) {
  if (v.is_string()) return NumericFromText(t, v.get_ref<const std::string&>());
  if (!v.is_number()) Bad(t, DumpJson(v));
  return NumericFromText(t, v.dump());
}

// float8in: out of range (either way) is 22003 "\"1e400\" is out of range for type double ...".
double RealFromText(const ColumnType& t, std::string_view text) {
  const auto d = ParseDecimal(text);
  if (!d || d->special != Decimal::Special::kNone) Bad(t, text);
  double v = 0;
  if (ToDouble(*d, v) != Conversion::kOk) {
    throw Error::NumericOutOfRange(
        "\"" + std::string(text) + "\" is out of range for type " + t.PgName(), std::nullopt);
  }
  return v;
}

double RealFromJson(const ColumnType& t, const json& v) {
  if (v.is_string()) return RealFromText(t, v.get_ref<const std::string&>());
  if (!v.is_number()) Bad(t, DumpJson(v));
  return v.get<double>();
}

// ---- bool: boolin accepts unique prefixes of true/false/yes/no, on/off, 1/0 ----

std::optional<bool> ParseBool(std::string_view text) {
  const std::string_view s = Trim(text);
  const auto prefix_of = [&](std::string_view word, size_t min) {
    return s.size() >= min && s.size() <= word.size() &&
           EqualsIgnoreCase(s, word.substr(0, s.size()));
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) || s == "1") return true;
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || s == "0") return false;
  return std::nullopt;
}

int64_t BoolFromText(const ColumnType& t, std::string_view text) {
  const auto b = ParseBool(text);
  if (!b) Bad(t, text);
  return *b ? 1 : 0;
}

// JSON numbers are refused: the wire sends true/false, never 0/1.
int64_t BoolFromJson(const ColumnType& t, const json& v) {
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_string()) return BoolFromText(t, v.get_ref<const std::string&>());
  Bad(t, DumpJson(v));
}

}  // namespace ib::storage::values_internal
