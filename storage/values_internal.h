// Internal to the value codec (values.h): what storage/values.cpp, values_numeric.cpp,
// values_text.cpp and values_render.cpp share. Nothing else may include it; callers use values.h.
// Pure functions, no state, thread-safe. Parsers throw storage::Error with Postgres' SQLSTATE,
// exactly as documented on FromJson / FromText in values.h.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "storage/json_dump.h"
#include "storage/sql_value.h"
#include "storage/text.h"
#include "storage/values.h"

namespace ib::storage::values_internal {

// ---- characters (C locale, as Postgres' scanners use) ----

inline constexpr char kHexDigits[] = "0123456789abcdef";

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
inline int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (Lower(c) >= 'a' && Lower(c) <= 'f') return Lower(c) - 'a' + 10;
  return -1;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// ---- errors (values.cpp) ----

// 22P02 "invalid input syntax for type <t.PgName()>: \"<value>\"".
[[noreturn]] void Bad(const ColumnType& t, std::string_view value);

// ---- JSON text (values_text.cpp); input nested deeper than 512 levels is refused (22P02) ----

// Compact JSON text of a value, its objects' members in `order`.
std::string DumpJson(const nlohmann::json& v, KeyOrder order = KeyOrder::kTree);
// The text Postgres would see for a JSON scalar: a string's contents, else the JSON text.
std::string TextOfJson(const nlohmann::json& v);
// A jsonb (or json) column's stored text of a JSON value: compact; a jsonb value holding U+0000
// in a string or key is refused as Postgres' jsonb_in refuses it (22P05).
std::string JsonbFromJson(const ColumnType& t, const nlohmann::json& v);
// jsonb_in / json_in: validates JSON text, then as JsonbFromJson.
std::string JsonbFromText(const ColumnType& t, std::string_view text);

// ---- int, bigint, numeric, real, bool (values_numeric.cpp) ----

int64_t IntFromText(const ColumnType& t, std::string_view text);
int64_t IntFromJson(const ColumnType& t, const nlohmann::json& v);
double NumericFromText(const ColumnType& t, std::string_view text);
double NumericFromJson(const ColumnType& t, const nlohmann::json& v);
double RealFromText(const ColumnType& t, std::string_view text);
double RealFromJson(const ColumnType& t, const nlohmann::json& v);
// boolin's words; nullopt when `text` is none of them.
std::optional<bool> ParseBool(std::string_view text);
int64_t BoolFromText(const ColumnType& t, std::string_view text);
int64_t BoolFromJson(const ColumnType& t, const nlohmann::json& v);

// ---- uuid, text, varchar, text[], bytea (values_text.cpp) ----

SqlValue TextFromJson(const ColumnType& t, const nlohmann::json& v);
std::string UuidFromText(const ColumnType& t, std::string_view text);
// A one-dimensional Postgres array literal ({a,"b c",NULL}) -> JSON array text.
std::string TextArrayFromText(std::string_view literal);
// A JSON array of strings/nulls, or a string holding an array literal -> JSON array text.
std::string TextArrayFromJson(const nlohmann::json& v);
// array_out: stored JSON array text of strings/nulls -> {a,"b c",NULL}; nullopt when the text
// is not such an array.
std::optional<std::string> TextArrayLiteral(std::string_view json_array);
// byteain's hex (\x...) and escape formats -> bytes.
std::string ByteaFromText(std::string_view text);
// byteaout's hex form: "\x" then two lowercase digits per byte.
std::string Hex(std::string_view bytes);

}  // namespace ib::storage::values_internal
