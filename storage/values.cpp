// The value codec (values.h): declared-type parsing, PgName and the FromJson / FromText dispatch.
// Input follows the Postgres 15 input functions a PostgREST request reaches; each kind's parser
// lives with its case: values_numeric.cpp (int4in/int8in, numeric_in, float8in, boolin),
// values_text.cpp (uuid_in, array_in, byteain, json_in), timestamps.cpp (timestamptz, date).
// Output (PostgREST's JSON and Postgres' text form) lives in values_render.cpp.
#include "storage/values.h"

#include <charconv>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "storage/error.h"
#include "storage/values_internal.h"

namespace ib::storage {

namespace values_internal {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

[[noreturn]] void Bad(const ColumnType& t, std::string_view value) {
  throw Error::InvalidTextRepresentation(t.PgName(), value);
}

}  // namespace values_internal

namespace {

using nlohmann::json;
using Kind = ValueKind;

char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

bool IsPunct(char c) { return c == '(' || c == ')' || c == ',' || c == '[' || c == ']'; }

// " decimal ( 5, 2 )" -> "DECIMAL(5,2)"; "double   precision" -> "DOUBLE PRECISION".
std::string NormalizeDeclared(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (values_internal::IsSpace(c)) {
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

}  // namespace

namespace vi = values_internal;

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
    throw Error::InvalidDatetime(type_name, vi::DumpJson(v));
  };
  switch (t.kind) {
    case Kind::kText:
    case Kind::kVarchar:
      return vi::TextFromJson(t, v);
    case Kind::kUuid:
      if (!v.is_string()) vi::Bad(t, vi::DumpJson(v));
      return vi::UuidFromText(t, v.get_ref<const std::string&>());
    case Kind::kInt:
    case Kind::kBigInt:
      return vi::IntFromJson(t, v);
    case Kind::kDecimal:
      return vi::NumericFromJson(t, v);
    case Kind::kReal:
      return vi::RealFromJson(t, v);
    case Kind::kBool:
      return vi::BoolFromJson(t, v);
    case Kind::kJsonb:
      return vi::JsonbFromJson(t, v);
    case Kind::kTimestamptz:
      return NormalizeTimestamptz(string_or("timestamp with time zone"));
    case Kind::kDate:
      return NormalizeDate(string_or("date"));
    case Kind::kTextArray:
      return vi::TextArrayFromJson(v);
    case Kind::kBytea:
      return Blob{vi::ByteaFromText(vi::TextOfJson(v))};
  }
  return vi::TextFromJson(t, v);
}

SqlValue FromText(const ColumnType& t, std::string_view text) {
  switch (t.kind) {
    case Kind::kText:
    case Kind::kVarchar:
      return std::string(text);  // a filter operand: no length check (as text)
    case Kind::kUuid:
      return vi::UuidFromText(t, text);
    case Kind::kInt:
    case Kind::kBigInt:
      return vi::IntFromText(t, text);
    case Kind::kDecimal:
      return vi::NumericFromText(t, text);
    case Kind::kReal:
      return vi::RealFromText(t, text);
    case Kind::kBool:
      return vi::BoolFromText(t, text);
    case Kind::kJsonb:
      return vi::JsonbFromText(t, text);
    case Kind::kTimestamptz:
      return NormalizeTimestamptz(text);
    case Kind::kDate:
      return NormalizeDate(text);
    case Kind::kTextArray:
      return vi::TextArrayFromText(text);
    case Kind::kBytea:
      return Blob{vi::ByteaFromText(text)};
  }
  return std::string(text);
}

}  // namespace ib::storage
