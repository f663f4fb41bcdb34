// The value codec's text-like kinds (values.h, values_internal.h): JSON text (json_in), text and
// varchar, uuid (uuid_in), text[] (array_in / array_out for one dimension) and bytea (byteain /
// byteaout's hex form). Dispatch lives in values.cpp, rendering in values_render.cpp.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "storage/error.h"
#include "storage/json_dump.h"
#include "storage/json_input.h"
#include "storage/json_text.h"
#include "storage/values_internal.h"

namespace ib::storage::values_internal {
namespace {

using nlohmann::json;
using Kind = ValueKind;

// ---- errors ----

[[noreturn]] void BadJson(std::optional<std::string> details) {
  throw Error::InvalidJson(std::move(details));
}
[[noreturn]] void MalformedArray(std::string_view literal, std::optional<std::string> details) {
  throw Error::MalformedArray(literal, std::move(details));
}
// Postgres refuses \u0000 in text: it cannot be stored in a text datum.
void RefuseNul(std::string_view s) {
  if (s.find('\0') == std::string_view::npos) return;
  throw Error::UnsupportedUnicodeEscape();
}

// ---- JSON text ----

constexpr char kTooDeep[] = "The input is nested more than 512 levels deep.";

}  // namespace

std::string DumpJson(const json& v, KeyOrder order) {
  std::string out;
  if (!AppendCompactJson(out, v, kMaxJsonDepth, order)) BadJson(kTooDeep);
  return out;
}

namespace {

// Whether a string or a key anywhere in `v` holds U+0000. Only asked when the compact text has
// an escaped one ("\u0000", which an escaped backslash before "u0000" imitates), so its walk
// costs nothing on ordinary values.
bool HoldsNul(const json& v) {
  if (v.is_string()) return v.get_ref<const std::string&>().find('\0') != std::string::npos;
  if (v.is_object()) {
    for (auto member = v.begin(); member != v.end(); ++member) {
      if (member.key().find('\0') != std::string::npos || HoldsNul(member.value())) return true;
    }
  } else if (v.is_array()) {
    for (const json& element : v) {
      if (HoldsNul(element)) return true;
    }
  }
  return false;
}

}  // namespace

std::string JsonbFromJson(const ColumnType& t, const json& v) {
  // jsonb keeps an object's keys in its own order (shorter first); json keeps the text's, which
  // the parsed tree no longer has: its bytewise order stands in.
  const bool jsonb = t.PgName() == "jsonb";
  std::string text = DumpJson(v, jsonb ? KeyOrder::kJsonb : KeyOrder::kTree);
  // jsonb_in, unlike json_in, converts every string to text: \u0000 is refused (22P05).
  if (text.find("\\u0000") != std::string::npos && jsonb && HoldsNul(v)) {
    throw Error::UnsupportedUnicodeEscape();
  }
  return text;
}

std::string JsonbFromText(const ColumnType& t, std::string_view text) {
  const ClientJson parsed = ParseClientJson(text);
  if (parsed.outcome == ClientJson::Outcome::kTooDeep) BadJson(kTooDeep);
  if (!parsed.ok()) BadJson(std::nullopt);
  return JsonbFromJson(t, parsed.value);
}

// The text Postgres would see for a JSON scalar: a string's contents, else the JSON text.
std::string TextOfJson(const json& v) { return v.is_string() ? v.get<std::string>() : DumpJson(v); }

// ---- text, varchar ----

namespace {

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

}  // namespace

SqlValue TextFromJson(const ColumnType& t, const json& v) {
  std::string s = TextOfJson(v);
  RefuseNul(s);
  if (t.kind == Kind::kVarchar) FitVarchar(t, s);
  return s;
}

// ---- uuid: uuid_in accepts optional braces and a hyphen after any group of four digits ----

namespace {

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

}  // namespace

std::string UuidFromText(const ColumnType& t, std::string_view text) {
  auto uuid = ParseUuid(text);
  if (!uuid) Bad(t, text);
  return *uuid;
}

// ---- text[]: array_in for one dimension, or a JSON array of strings/nulls ----

namespace {

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

}  // namespace

std::string TextArrayFromText(std::string_view literal) { return ArrayLiteral(literal).ToJson(); }

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

namespace {

// array_out quotes an element that is empty, reads as NULL, or holds a delimiter, brace, quote,
// backslash or white space; inside quotes, `"` and `\` get a backslash.
void AppendArrayElement(std::string& out, std::string_view item) {
  bool quote = item.empty() || EqualsIgnoreCase(item, "NULL");
  for (char c : item) {
    quote = quote || c == ',' || c == '{' || c == '}' || c == '"' || c == '\\' || IsSpace(c);
  }
  if (!quote) {
    out.append(item);
    return;
  }
  out.push_back('"');
  for (char c : item) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

std::optional<std::string> TextArrayLiteral(std::string_view json_array) {
  const ClientJson client = ParseClientJson(json_array);
  if (!client.ok() || !client.value.is_array()) return std::nullopt;
  const json& parsed = client.value;
  std::string out = "{";
  for (const auto& item : parsed) {
    if (!item.is_string() && !item.is_null()) return std::nullopt;
    if (out.size() > 1) out.push_back(',');
    if (item.is_null())
      out += "NULL";
    else
      AppendArrayElement(out, item.get_ref<const std::string&>());
  }
  return out + "}";
}

// ---- bytea: byteain's hex (\x...) and escape formats ----

namespace {

std::string HexDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
      ++i;
      continue;
    }
    for (size_t k = i; k < i + 2 && k < s.size(); ++k) {
      if (HexValue(s[k]) < 0) throw Error::InvalidHexDigit(s[k]);
    }
    if (i + 1 >= s.size()) throw Error::OddHexDigits();
    out.push_back(static_cast<char>(HexValue(s[i]) * 16 + HexValue(s[i + 1])));
    i += 2;
  }
  return out;
}

}  // namespace

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
      throw Error::InvalidBytea();
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

}  // namespace ib::storage::values_internal
