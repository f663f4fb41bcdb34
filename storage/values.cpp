// The value codec (values.h). Input follows the Postgres 15 input functions a PostgREST request
// reaches (int4in/int8in, numeric_in, float8in, boolin, uuid_in, array_in, byteain, json_in);
// output follows PostgREST's JSON rendering. Timestamps and dates live in timestamps.cpp.
#include "storage/values.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "storage/error.h"
#include "storage/json_text.h"

namespace ib::storage {
namespace {

using nlohmann::json;
using Kind = ValueKind;

constexpr int kMaxJsonDepth = 512;  // deeper input is refused before nlohmann recurses on it
constexpr char kHexDigits[] = "0123456789abcdef";

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (Lower(c) >= 'a' && Lower(c) <= 'f') return Lower(c) - 'a' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsPunct(char c) { return c == '(' || c == ')' || c == ',' || c == '[' || c == ']'; }

// " decimal ( 5, 2 )" -> "DECIMAL(5,2)"; "double   precision" -> "DOUBLE PRECISION".
std::string NormalizeDeclared(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space && !IsPunct(c) && !IsPunct(out.back())) out.push_back(' ');
    space = false;
    out.push_back(Upper(c));
  }
  return out;
}

// "5,2" -> {5, 2}; empty when malformed.
std::vector<int> ParseModifiers(std::string_view s) {
  std::vector<int> out;
  while (true) {
    const size_t comma = s.find(',');
    const std::string_view part = s.substr(0, comma);
    int v = -1;
    const auto res = std::from_chars(part.data(), part.data() + part.size(), v);
    if (res.ec != std::errc() || res.ptr != part.data() + part.size() || v < 0) return {};
    out.push_back(v);
    if (comma == std::string_view::npos) return out;
    s.remove_prefix(comma + 1);
  }
}

std::optional<Kind> KindOfName(std::string_view name) {
  // clang-format off
  static constexpr std::pair<std::string_view, Kind> kNames[] = {
      {"TEXT", Kind::kText}, {"VARCHAR", Kind::kVarchar}, {"CHARACTER VARYING", Kind::kVarchar},
      {"UUID", Kind::kUuid}, {"INT", Kind::kInt}, {"INTEGER", Kind::kInt}, {"INT4", Kind::kInt},
      {"BIGINT", Kind::kBigInt}, {"INT8", Kind::kBigInt},
      {"DECIMAL", Kind::kDecimal}, {"NUMERIC", Kind::kDecimal},
      {"REAL", Kind::kReal}, {"FLOAT4", Kind::kReal}, {"DOUBLE PRECISION", Kind::kReal},
      {"FLOAT8", Kind::kReal}, {"FLOAT", Kind::kReal},
      {"BOOL", Kind::kBool}, {"BOOLEAN", Kind::kBool},
      {"JSON", Kind::kJsonb}, {"JSONB", Kind::kJsonb},
      {"TIMESTAMPTZ", Kind::kTimestamptz}, {"TIMESTAMP WITH TIME ZONE", Kind::kTimestamptz},
      {"DATE", Kind::kDate}, {"BYTEA", Kind::kBytea}, {"BLOB", Kind::kBytea}};
  // clang-format on
  for (const auto& [n, kind] : kNames) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

// ---- errors ----

[[noreturn]] void Bad(const ColumnType& t, std::string_view value) {
  throw Error::InvalidTextRepresentation(t.PgName(), value);
}
[[noreturn]] void OutOfRange(const ColumnType& t, std::string_view value) {
  throw Error::NumericOutOfRange(
      "value \"" + std::string(value) + "\" is out of range for type " + t.PgName(), std::nullopt);
}
[[noreturn]] void BadJson(std::optional<std::string> details) {
  throw Error(400, "22P02", "invalid input syntax for type json", std::move(details));
}
[[noreturn]] void MalformedArray(std::string_view literal, std::optional<std::string> details) {
  throw Error(400, "22P02", "malformed array literal: \"" + std::string(literal) + "\"",
              std::move(details));
}
// Postgres refuses \u0000 in text: it cannot be stored in a text datum.
void RefuseNul(std::string_view s) {
  if (s.find('\0') == std::string_view::npos) return;
  throw Error(400, "22P05", "unsupported Unicode escape sequence",
              std::string("\\u0000 cannot be converted to text."));
}

// ---- JSON text ----

bool TooDeep(const json& root) {
  std::vector<std::pair<const json*, int>> stack{{&root, 0}};
  while (!stack.empty()) {
    const auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    if (depth >= kMaxJsonDepth) return true;
    for (const auto& child : *v) stack.emplace_back(&child, depth + 1);
  }
  return false;
}

// Cheap pre-scan: bracket nesting outside strings, so nlohmann never sees deep input.
bool TooDeep(std::string_view s) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      in_string = escaped || c != '"';
      escaped = !escaped && c == '\\';
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

constexpr char kTooDeep[] = "The input is nested more than 512 levels deep.";

std::string DumpJson(const json& v) {
  if (TooDeep(v)) BadJson(kTooDeep);
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string JsonbFromText(std::string_view text) {
  if (TooDeep(text)) BadJson(kTooDeep);
  const json parsed = json::parse(text.data(), text.data() + text.size(), nullptr, false);
  if (parsed.is_discarded()) BadJson(std::nullopt);
  return DumpJson(parsed);
}

// The text Postgres would see for a JSON scalar: a string's contents, else the JSON text.
std::string TextOfJson(const json& v) { return v.is_string() ? v.get<std::string>() : DumpJson(v); }

// ---- text, varchar ----

// Postgres: more than n characters is refused unless the excess is all spaces, which are cut.
void FitVarchar(const ColumnType& t, std::string& s) {
  if (t.length <= 0) return;
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // UTF-8 continuation
    if (chars++ < static_cast<size_t>(t.length)) continue;
    if (s.find_first_not_of(' ', i) != std::string::npos) throw Error::StringTooLong(t.length);
    s.resize(i);
    return;
  }
}

SqlValue TextFromJson(const ColumnType& t, const json& v) {
  std::string s = TextOfJson(v);
  RefuseNul(s);
  if (t.kind == Kind::kVarchar) FitVarchar(t, s);
  return s;
}

// ---- uuid: uuid_in accepts optional braces and a hyphen after any group of four digits ----

std::optional<std::string> ParseUuid(std::string_view s) {
  size_t i = 0;
  const bool braces = !s.empty() && s[0] == '{';
  if (braces) ++i;
  std::string out;
  for (int b = 0; b < 16; ++b) {
    if (i + 2 > s.size()) return std::nullopt;
    const int hi = HexValue(s[i]), lo = HexValue(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += {kHexDigits[hi], kHexDigits[lo]};
    i += 2;
    if (b == 3 || b == 5 || b == 7 || b == 9) out.push_back('-');
    if (i < s.size() && s[i] == '-' && b % 2 == 1 && b < 15) ++i;
  }
  if (braces && (i >= s.size() || s[i++] != '}')) return std::nullopt;
  if (i != s.size()) return std::nullopt;
  return out;
}

std::string UuidFromText(const ColumnType& t, std::string_view text) {
  auto uuid = ParseUuid(text);
  if (!uuid) Bad(t, text);
  return *uuid;
}

// ---- int / bigint ----

int64_t CheckIntRange(const ColumnType& t, bool negative, uint64_t magnitude, bool overflow,
                      std::string_view text) {
  const uint64_t max = t.kind == Kind::kInt ? std::numeric_limits<int32_t>::max()
                                            : std::numeric_limits<int64_t>::max();
  if (overflow || magnitude > max + (negative ? 1 : 0)) OutOfRange(t, text);
  if (!negative || magnitude == 0) return static_cast<int64_t>(magnitude);
  return -static_cast<int64_t>(magnitude - 1) - 1;
}

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

// ---- text[]: array_in for one dimension, or a JSON array of strings/nulls ----

class ArrayLiteral {
 public:
  explicit ArrayLiteral(std::string_view s) : s_(s) {}

  // Returns the JSON array text of the literal.
  std::string ToJson() {
    SkipSpaces();
    if (Peek() != '{') Fail("Array value must start with \"{\" or dimension information.");
    ++i_;
    out_ = "[";
    SkipSpaces();
    if (Peek() == '}')
      ++i_;
    else
      ReadElements();
    SkipSpaces();
    if (i_ != s_.size()) Fail("Junk after closing right brace.");
    return out_ + "]";
  }

 private:
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void SkipSpaces() {
    while (i_ < s_.size() && IsSpace(s_[i_])) ++i_;
  }
  [[noreturn]] void Fail(const std::string& detail) const { MalformedArray(s_, detail); }
  [[noreturn]] void Unexpected() const {
    if (i_ >= s_.size()) Fail("Unexpected end of input.");
    Fail(std::string("Unexpected \"") + s_[i_] + "\" character.");
  }
  char Escaped() {  // the character after a backslash
    if (++i_ >= s_.size()) Unexpected();
    return s_[i_++];
  }
  void Append(const std::string& item) {
    RefuseNul(item);
    if (out_.size() > 1) out_.push_back(',');
    AppendJsonString(out_, item);
  }

  void ReadElements() {
    while (true) {
      SkipSpaces();
      if (Peek() == '"')
        ReadQuoted();
      else
        ReadUnquoted();
      SkipSpaces();
      if (Peek() == '}') break;
      if (Peek() != ',') Unexpected();
      ++i_;
    }
    ++i_;
  }
  void ReadQuoted() {
    std::string item;
    ++i_;
    while (Peek() != '"') {
      if (i_ >= s_.size()) Unexpected();
      item.push_back(Peek() == '\\' ? Escaped() : s_[i_++]);
    }
    ++i_;
    Append(item);
  }
  // Unquoted: trimmed, backslash escapes; NULL (any case, unescaped) is a null element.
  void ReadUnquoted() {
    std::string item;
    size_t keep = 0;
    bool escaped = false;
    for (char c = Peek(); i_ < s_.size() && c != ',' && c != '}'; c = Peek()) {
      if (c == '"' || c == '{') Unexpected();
      escaped = escaped || c == '\\';
      item.push_back(c == '\\' ? Escaped() : s_[i_++]);
      if (c == '\\' || !IsSpace(c)) keep = item.size();
    }
    item.resize(keep);
    if (item.empty() && !escaped) Unexpected();
    if (!escaped && EqualsIgnoreCase(item, "null")) {
      out_ += out_.size() > 1 ? ",null" : "null";
    } else {
      Append(item);
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string out_;
};

std::string TextArrayFromJson(const json& v) {
  if (v.is_string()) return ArrayLiteral(v.get_ref<const std::string&>()).ToJson();
  const auto refuse = [&] {
    MalformedArray(DumpJson(v), std::string("Array value must be a JSON array of strings."));
  };
  if (!v.is_array()) refuse();
  std::string out = "[";
  for (const auto& item : v) {
    if (!item.is_string() && !item.is_null()) refuse();
    if (out.size() > 1) out.push_back(',');
    if (item.is_null()) {
      out += "null";
      continue;
    }
    RefuseNul(item.get_ref<const std::string&>());
    AppendJsonString(out, item.get_ref<const std::string&>());
  }
  return out + "]";
}

// ---- bytea: byteain's hex (\x...) and escape formats ----

std::string HexDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
      ++i;
      continue;
    }
    for (size_t k = i; k < i + 2 && k < s.size(); ++k) {
      if (HexValue(s[k]) < 0) {
        throw Error(400, "22023", "invalid hexadecimal digit: \"" + std::string(1, s[k]) + "\"");
      }
    }
    if (i + 1 >= s.size())
      throw Error(400, "22023", "invalid hexadecimal data: odd number of digits");
    out.push_back(static_cast<char>(HexValue(s[i]) * 16 + HexValue(s[i + 1])));
    i += 2;
  }
  return out;
}

std::string ByteaFromText(std::string_view s) {
  if (s.size() >= 2 && s[0] == '\\' && (s[1] == 'x' || s[1] == 'X')) return HexDecode(s.substr(2));
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out.push_back(s[i]);
    } else if (i + 1 < s.size() && s[i + 1] == '\\') {
      out.push_back('\\'), ++i;
    } else if (i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
               s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out.push_back(
          static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + s[i + 3] - '0'));
      i += 3;
    } else {
      throw Error(400, "22P02", "invalid input syntax for type bytea");
    }
  }
  return out;
}

std::string Hex(std::string_view bytes) {
  std::string out = "\\x";
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += {kHexDigits[b >> 4], kHexDigits[b & 0xF]};
  }
  return out;
}

// ---- rendering ----

// A stored value's rendering: text that AppendJson quotes (quoted) or emits as is, borrowed
// from the view when possible so the hot path copies no strings.
struct Form {
  bool quoted = false;
  std::string_view borrowed;
  std::string owned;
  bool is_owned = false;
  std::string_view text() const { return is_owned ? std::string_view(owned) : borrowed; }
};

Form View(bool quoted, std::string_view s) { return {quoted, s, {}, false}; }
Form Own(bool quoted, std::string s) { return {quoted, {}, std::move(s), true}; }

bool IsStored(const SqlValueView& v) {  // TEXT or BLOB: bytes in v.text
  return v.type == SqlValueView::Type::kText || v.type == SqlValueView::Type::kBlob;
}

// INTEGER / REAL storage as a number; decimals get `scale` digits ("87.00").
std::string NumberText(const SqlValueView& v, int scale) {
  std::string out;
  if (v.type == SqlValueView::Type::kInteger) {
    AppendInt(out, v.integer);
    if (scale > 0) out.append(1, '.').append(static_cast<size_t>(scale), '0');
  } else {
    AppendDecimal(out, v.real, scale);
  }
  return out;
}

// RFC 8259 number grammar, so text stored in a numeric column is emitted only if it is valid.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    if (++i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

Form RenderString(const SqlValueView& v) {
  return IsStored(v) ? View(true, v.text) : Own(true, NumberText(v, -1));
}

Form RenderNumber(const SqlValueView& v, int scale) {
  if (!IsStored(v)) return Own(false, NumberText(v, scale));
  return View(!IsJsonNumber(v.text), v.text);
}

Form RenderBool(const SqlValueView& v) {
  std::optional<bool> b;
  if (v.type == SqlValueView::Type::kInteger)
    b = v.integer != 0;
  else if (v.type == SqlValueView::Type::kReal)
    b = v.real != 0;
  else
    b = ParseBool(v.text);
  if (!b) return View(true, v.text);
  return View(false, *b ? "true" : "false");
}

// jsonb text is already JSON; numeric affinity may have turned 5 / 1.5 into INTEGER / REAL.
Form RenderJsonb(const SqlValueView& v) {
  if (!IsStored(v)) return Own(false, NumberText(v, -1));
  return View(v.text.empty(), v.text);
}

// JSON array text as stored; a Postgres literal ({a,b}) written by hand is converted.
Form RenderTextArray(const SqlValueView& v) {
  const std::string_view s = Trim(v.text);
  if (!IsStored(v) || s.empty()) return RenderString(v);
  if (s[0] == '[') return View(false, v.text);
  if (s[0] != '{') return RenderString(v);
  try {
    return Own(false, ArrayLiteral(v.text).ToJson());
  } catch (const Error&) {
    return RenderString(v);
  }
}

// Canonical text is emitted as is; other text (datetime('now'), seeds) is normalised if it can be.
Form RenderTimestamptz(const SqlValueView& v) {
  const bool canonical = v.text.size() == 32 && v.text[10] == 'T' && v.text.substr(26) == "+00:00";
  if (v.type != SqlValueView::Type::kText || canonical) return RenderString(v);
  try {
    return Own(true, NormalizeTimestamptz(v.text));
  } catch (const Error&) {
    return RenderString(v);
  }
}

Form Render(const ColumnType& t, const SqlValueView& v) {
  switch (t.kind) {
    case Kind::kInt:
    case Kind::kBigInt:
    case Kind::kReal:
      return RenderNumber(v, -1);
    case Kind::kDecimal:
      return RenderNumber(v, t.scale);
    case Kind::kBool:
      return RenderBool(v);
    case Kind::kJsonb:
      return RenderJsonb(v);
    case Kind::kTextArray:
      return RenderTextArray(v);
    case Kind::kTimestamptz:
      return RenderTimestamptz(v);
    case Kind::kBytea:
      return Own(true, Hex(IsStored(v) ? std::string(v.text) : NumberText(v, -1)));
    default:
      return RenderString(v);
  }
}

}  // namespace

// ---- public API ----

std::string ColumnType::PgName() const {
  // Indexed by ValueKind, in declaration order.
  // clang-format off
  static constexpr std::string_view kPgNames[] = {
      "text", "character varying", "uuid", "integer", "bigint", "numeric", "double precision",
      "boolean", "jsonb", "timestamp with time zone", "date", "text[]", "bytea"};
  // clang-format on
  if (kind == Kind::kReal && NormalizeDeclared(declared) == "REAL") return "real";
  if (kind == Kind::kReal && NormalizeDeclared(declared) == "FLOAT4") return "real";
  if (kind == Kind::kJsonb && NormalizeDeclared(declared) == "JSON") return "json";
  return std::string(kPgNames[static_cast<size_t>(kind)]);
}

ColumnType ParseDeclaredType(std::string_view declared) {
  ColumnType t;
  t.declared = std::string(declared);
  std::string name = NormalizeDeclared(declared);
  const bool array = name.size() > 2 && name.compare(name.size() - 2, 2, "[]") == 0;
  if (array) name.resize(name.size() - 2);
  std::vector<int> mods;
  const size_t open = name.find('(');
  if (open != std::string::npos && name.back() == ')') {
    mods = ParseModifiers(std::string_view(name).substr(open + 1, name.size() - open - 2));
    name.resize(open);
  }
  const Kind kind = KindOfName(name).value_or(Kind::kText);
  if (array) {
    const bool text = kind == Kind::kVarchar || (kind == Kind::kText && name == "TEXT");
    t.kind = text ? Kind::kTextArray : Kind::kText;
    return t;
  }
  t.kind = kind;
  if (kind == Kind::kVarchar && mods.size() == 1 && mods[0] > 0) t.length = mods[0];
  if (kind == Kind::kDecimal && (mods.size() == 1 || mods.size() == 2) && mods[0] > 0) {
    t.precision = mods[0];
    t.scale = mods.size() == 2 ? mods[1] : 0;
  }
  return t;
}

SqlValue FromJson(const ColumnType& t, const json& v) {
  if (v.is_null()) return std::monostate{};
  const auto string_or = [&](std::string_view type_name) -> const std::string& {
    if (v.is_string()) return v.get_ref<const std::string&>();
    throw Error::InvalidDatetime(type_name, DumpJson(v));
  };
  switch (t.kind) {
    case Kind::kText:
    case Kind::kVarchar:
      return TextFromJson(t, v);
    case Kind::kUuid:
      if (!v.is_string()) Bad(t, DumpJson(v));
      return UuidFromText(t, v.get_ref<const std::string&>());
    case Kind::kInt:
    case Kind::kBigInt:
      return IntFromJson(t, v);
    case Kind::kDecimal:
      return NumericFromJson(t, v);
    case Kind::kReal:
      return RealFromJson(t, v);
    case Kind::kBool:
      return BoolFromJson(t, v);
    case Kind::kJsonb:
      return DumpJson(v);
    case Kind::kTimestamptz:
      return NormalizeTimestamptz(string_or("timestamp with time zone"));
    case Kind::kDate:
      return NormalizeDate(string_or("date"));
    case Kind::kTextArray:
      return TextArrayFromJson(v);
    case Kind::kBytea:
      return Blob{ByteaFromText(TextOfJson(v))};
  }
  return TextFromJson(t, v);
}

SqlValue FromText(const ColumnType& t, std::string_view text) {
  switch (t.kind) {
    case Kind::kText:
    case Kind::kVarchar:
      return std::string(text);  // a filter operand: no length check (as text)
    case Kind::kUuid:
      return UuidFromText(t, text);
    case Kind::kInt:
    case Kind::kBigInt:
      return IntFromText(t, text);
    case Kind::kDecimal:
      return NumericFromText(t, text);
    case Kind::kReal:
      return RealFromText(t, text);
    case Kind::kBool:
      return BoolFromText(t, text);
    case Kind::kJsonb:
      return JsonbFromText(text);
    case Kind::kTimestamptz:
      return NormalizeTimestamptz(text);
    case Kind::kDate:
      return NormalizeDate(text);
    case Kind::kTextArray:
      return ArrayLiteral(text).ToJson();
    case Kind::kBytea:
      return Blob{ByteaFromText(text)};
  }
  return std::string(text);
}

void AppendJson(std::string& out, const ColumnType& type, const SqlValueView& value) {
  if (value.is_null()) {
    out += "null";
    return;
  }
  const Form form = Render(type, value);
  if (form.quoted)
    AppendJsonString(out, form.text());
  else
    out.append(form.text());
}

std::string ToText(const ColumnType& type, const SqlValueView& value) {
  if (value.is_null()) return "";
  return std::string(Render(type, value).text());
}

}  // namespace ib::storage
