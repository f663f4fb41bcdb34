// Tests for the value codec (storage/values.h): declared types, JSON and text input for every
// kind, rendering of every storage class for every kind, timestamps, and the exact Postgres
// errors. Tables of input -> expected; a refusal is written "!<SQLSTATE>".
#include "storage/values.h"

#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "storage/error.h"
#include "storage/sql_value.h"

namespace ib::storage {
namespace {

using nlohmann::json;

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += {kHex[b >> 4], kHex[b & 0xF]};
  }
  return out;
}

// A readable, exact rendering of a storage value: "null", "int:5", "real:87.46", "text:abc",
// "blob:\x00ff". Negative zero shows as "real:-0".
std::string Show(const SqlValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return "null";
  if (const auto* i = std::get_if<int64_t>(&v)) return "int:" + std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, *d);
    return "real:" + std::string(buf, res.ptr);
  }
  if (const auto* s = std::get_if<std::string>(&v)) return "text:" + *s;
  return "blob:" + Hex(std::get<Blob>(v).bytes);
}

// Show(value) on success, "!<code>" when an Error is thrown.
std::string Outcome(const std::function<SqlValue()>& f) {
  try {
    return Show(f());
  } catch (const Error& e) {
    return "!" + e.code();
  }
}

std::string FromJsonOutcome(const std::string& decl, const std::string& json_text) {
  return Outcome([&] { return FromJson(ParseDeclaredType(decl), json::parse(json_text)); });
}
std::string FromTextOutcome(const std::string& decl, std::string_view text) {
  return Outcome([&] { return FromText(ParseDeclaredType(decl), text); });
}

std::optional<Error> Caught(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

std::string TsOutcome(std::string_view text) {
  try {
    return NormalizeTimestamptz(text);
  } catch (const Error& e) {
    return "!" + e.code();
  }
}
std::string DateOutcome(std::string_view text) {
  try {
    return NormalizeDate(text);
  } catch (const Error& e) {
    return "!" + e.code();
  }
}

std::string RenderJson(const std::string& decl, const SqlValue& v) {
  std::string out;
  AppendJson(out, ParseDeclaredType(decl), ViewOf(v));
  return out;
}
std::string RenderText(const std::string& decl, const SqlValue& v) {
  return ToText(ParseDeclaredType(decl), ViewOf(v));
}

// std::string fields so doctest prints them (it prints a const char* as a pointer).
struct Case {
  std::string decl;
  std::string input;
  std::string expected;
};

void RunJsonCases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO("decl = " << c.decl);
    INFO("input = " << c.input);
    CHECK(FromJsonOutcome(c.decl, c.input) == c.expected);
  }
}
void RunTextCases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO("decl = " << c.decl);
    INFO("input = " << c.input);
    CHECK(FromTextOutcome(c.decl, c.input) == c.expected);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Declared types

TEST_CASE("values: declared types parse case- and whitespace-insensitively") {
  struct Row {
    std::string decl;
    ValueKind kind;
    int length, precision, scale;
    std::string pg_name;
  };
  const std::vector<Row> rows = {
      {"UUID", ValueKind::kUuid, 0, 0, -1, "uuid"},
      {"uuid", ValueKind::kUuid, 0, 0, -1, "uuid"},
      {"TEXT", ValueKind::kText, 0, 0, -1, "text"},
      {"VARCHAR(255)", ValueKind::kVarchar, 255, 0, -1, "character varying"},
      {" varchar ( 20 ) ", ValueKind::kVarchar, 20, 0, -1, "character varying"},
      {"CHARACTER VARYING(10)", ValueKind::kVarchar, 10, 0, -1, "character varying"},
      {"character  varying", ValueKind::kVarchar, 0, 0, -1, "character varying"},
      {"VARCHAR", ValueKind::kVarchar, 0, 0, -1, "character varying"},
      {"INT", ValueKind::kInt, 0, 0, -1, "integer"},
      {"integer", ValueKind::kInt, 0, 0, -1, "integer"},
      {"INT4", ValueKind::kInt, 0, 0, -1, "integer"},
      {"BIGINT", ValueKind::kBigInt, 0, 0, -1, "bigint"},
      {"int8", ValueKind::kBigInt, 0, 0, -1, "bigint"},
      {"DECIMAL(5,2)", ValueKind::kDecimal, 0, 5, 2, "numeric"},
      {"numeric ( 10 , 3 )", ValueKind::kDecimal, 0, 10, 3, "numeric"},
      {"NUMERIC(7)", ValueKind::kDecimal, 0, 7, 0, "numeric"},
      {"NUMERIC", ValueKind::kDecimal, 0, 0, -1, "numeric"},
      {"DECIMAL", ValueKind::kDecimal, 0, 0, -1, "numeric"},
      {"DECIMAL(x)", ValueKind::kDecimal, 0, 0, -1, "numeric"},
      {"REAL", ValueKind::kReal, 0, 0, -1, "real"},
      {"DOUBLE PRECISION", ValueKind::kReal, 0, 0, -1, "double precision"},
      {"double\tprecision", ValueKind::kReal, 0, 0, -1, "double precision"},
      {"FLOAT8", ValueKind::kReal, 0, 0, -1, "double precision"},
      {"BOOL", ValueKind::kBool, 0, 0, -1, "boolean"},
      {"Boolean", ValueKind::kBool, 0, 0, -1, "boolean"},
      {"JSON", ValueKind::kJsonb, 0, 0, -1, "json"},
      {"JSONB", ValueKind::kJsonb, 0, 0, -1, "jsonb"},
      {"TIMESTAMPTZ", ValueKind::kTimestamptz, 0, 0, -1, "timestamp with time zone"},
      {"timestamp  with\ttime zone", ValueKind::kTimestamptz, 0, 0, -1, "timestamp with time zone"},
      {"DATE", ValueKind::kDate, 0, 0, -1, "date"},
      {"TEXT[]", ValueKind::kTextArray, 0, 0, -1, "text[]"},
      {"text [ ]", ValueKind::kTextArray, 0, 0, -1, "text[]"},
      {"VARCHAR(20)[]", ValueKind::kTextArray, 0, 0, -1, "text[]"},
      {"BYTEA", ValueKind::kBytea, 0, 0, -1, "bytea"},
      {"BLOB", ValueKind::kBytea, 0, 0, -1, "bytea"},
      // Unknown -> text.
      {"INT[]", ValueKind::kText, 0, 0, -1, "text"},
      {"TIMESTAMP", ValueKind::kText, 0, 0, -1, "text"},
      {"MONEY", ValueKind::kText, 0, 0, -1, "text"},
      {"DECIMAL(5,2", ValueKind::kText, 0, 0, -1, "text"},
      {"", ValueKind::kText, 0, 0, -1, "text"},
  };
  for (const auto& r : rows) {
    INFO("r.decl = " << r.decl);
    const ColumnType t = ParseDeclaredType(r.decl);
    CHECK(t.kind == r.kind);
    CHECK(t.length == r.length);
    CHECK(t.precision == r.precision);
    CHECK(t.scale == r.scale);
    CHECK(t.PgName() == r.pg_name);
    CHECK(t.declared == r.decl);
  }
}

// ---------------------------------------------------------------------------------------------
// FromJson, per kind

TEST_CASE("values: JSON null is SQL NULL for every kind") {
  for (const std::string& decl : std::initializer_list<std::string>{
           "UUID", "TEXT", "VARCHAR(3)", "INT", "BIGINT", "DECIMAL(5,2)", "REAL", "BOOLEAN",
           "JSONB", "TIMESTAMPTZ", "DATE", "TEXT[]", "BYTEA"}) {
    INFO("decl = " << decl);
    CHECK(FromJsonOutcome(decl, "null") == "null");
  }
}

TEST_CASE("values: uuid accepts Postgres' forms and lowercases") {
  RunJsonCases({
      {"UUID", R"("123e4567-e89b-12d3-a456-426614174000")",
       "text:123e4567-e89b-12d3-a456-426614174000"},
      {"UUID", R"("123E4567-E89B-12D3-A456-426614174ABC")",
       "text:123e4567-e89b-12d3-a456-426614174abc"},
      {"UUID", R"("{123e4567-e89b-12d3-a456-426614174000}")",
       "text:123e4567-e89b-12d3-a456-426614174000"},
      {"UUID", R"("123e4567e89b12d3a456426614174000")",
       "text:123e4567-e89b-12d3-a456-426614174000"},
      {"UUID", R"("123e-4567-e89b-12d3-a456-4266-1417-4000")",
       "text:123e4567-e89b-12d3-a456-426614174000"},
      {"UUID", R"("{123e4567e89b12d3a456426614174000}")",
       "text:123e4567-e89b-12d3-a456-426614174000"},
      {"UUID", R"("123e4567-e89b-12d3-a456-42661417400")", "!22P02"},    // 31 digits
      {"UUID", R"("123e4567-e89b-12d3-a456-4266141740000")", "!22P02"},  // 33 digits
      {"UUID", R"("123e4567--e89b-12d3-a456-426614174000")", "!22P02"},  // double hyphen
      {"UUID", R"("12-3e4567-e89b-12d3-a456-426614174000")", "!22P02"},  // hyphen mid-group
      {"UUID", R"(" 123e4567-e89b-12d3-a456-426614174000")", "!22P02"},  // uuid_in does not trim
      {"UUID", R"("123e4567-e89b-12d3-a456-426614174000-")", "!22P02"},
      {"UUID", R"("{123e4567-e89b-12d3-a456-426614174000")", "!22P02"},
      {"UUID", R"("123e4567-e89b-12d3-a456-426614174000}")", "!22P02"},
      {"UUID", R"("g23e4567-e89b-12d3-a456-426614174000")", "!22P02"},
      {"UUID", R"("")", "!22P02"},
      {"UUID", R"("null")", "!22P02"},
      {"UUID", "123", "!22P02"},
      {"UUID", "true", "!22P02"},
      {"UUID", "{}", "!22P02"},
      {"UUID", R"(["123e4567-e89b-12d3-a456-426614174000"])", "!22P02"},
  });
}

TEST_CASE("values: integer boundaries and shapes") {
  RunJsonCases({
      {"INT", "0", "int:0"},
      {"INT", "2147483647", "int:2147483647"},
      {"INT", "-2147483648", "int:-2147483648"},
      {"INT", "2147483648", "!22003"},
      {"INT", "-2147483649", "!22003"},
      {"INT", "18446744073709551615", "!22003"},
      {"INT", "99999999999999999999", "!22003"},
      {"INT", "1e20", "!22003"},
      {"INT", "-1e20", "!22003"},
      {"INT", "1.5", "!22P02"},
      {"INT", "-0.5", "!22P02"},
      {"INT", "2.0", "int:2"},  // taken by value
      {"INT", "1e3", "int:1000"},
      {"INT", R"("42")", "int:42"},
      {"INT", R"(" 42 ")", "int:42"},
      {"INT", R"("+7")", "int:7"},
      {"INT", R"("-0")", "int:0"},
      {"INT", R"("007")", "int:7"},
      {"INT", R"("2147483648")", "!22003"},
      {"INT", R"("-2147483649")", "!22003"},
      {"INT", R"("99999999999999999999999999")", "!22003"},
      {"INT", R"("4 2")", "!22P02"},
      {"INT", R"("")", "!22P02"},
      {"INT", R"(" ")", "!22P02"},
      {"INT", R"("-")", "!22P02"},
      {"INT", R"("abc")", "!22P02"},
      {"INT", R"("1.0")", "!22P02"},
      {"INT", R"("1e3")", "!22P02"},
      {"INT", R"("0x10")", "!22P02"},
      {"INT", "true", "!22P02"},
      {"INT", "[1]", "!22P02"},
      {"INT", R"({"a":1})", "!22P02"},
      {"BIGINT", "9223372036854775807", "int:9223372036854775807"},
      {"BIGINT", "-9223372036854775808", "int:-9223372036854775808"},
      {"BIGINT", "9223372036854775808", "!22003"},
      {"BIGINT", "2147483648", "int:2147483648"},
      {"BIGINT", "1e18", "int:1000000000000000000"},
      {"BIGINT", "9.3e18", "!22003"},
      {"BIGINT", R"("-9223372036854775808")", "int:-9223372036854775808"},
      {"BIGINT", R"("9223372036854775808")", "!22003"},
      {"BIGINT", R"("-9223372036854775809")", "!22003"},
      {"BIGINT", "false", "!22P02"},
  });
}

TEST_CASE("values: decimal rounds half away from zero on the decimal digits") {
  RunJsonCases({
      {"DECIMAL(5,2)", "87.456", "real:87.46"},
      {"DECIMAL(5,2)", "87.455", "real:87.46"},
      {"DECIMAL(5,2)", "-87.455", "real:-87.46"},
      {"DECIMAL(5,2)", "87.454", "real:87.45"},
      {"DECIMAL(5,2)", "2.675", "real:2.68"},  // binary 2.67499999... would give 2.67
      {"DECIMAL(5,2)", "1.005", "real:1.01"},
      {"DECIMAL(5,2)", "0.005", "real:0.01"},
      {"DECIMAL(5,2)", "-2.345", "real:-2.35"},
      {"DECIMAL(5,2)", "0.004", "real:0"},
      {"DECIMAL(5,2)", "-0.004", "real:0"},  // never a negative zero
      {"DECIMAL(5,2)", "0", "real:0"},
      {"DECIMAL(5,2)", "87", "real:87"},
      {"DECIMAL(5,2)", "999", "real:999"},
      {"DECIMAL(5,2)", "999.994", "real:999.99"},
      {"DECIMAL(5,2)", "999.995", "!22003"},
      {"DECIMAL(5,2)", "-999.995", "!22003"},
      {"DECIMAL(5,2)", "1000", "!22003"},
      {"DECIMAL(5,2)", "1e2", "real:100"},
      {"DECIMAL(5,2)", "1e3", "!22003"},
      {"DECIMAL(5,2)", "99.999", "real:100"},
      {"DECIMAL(5,2)", R"("87.456")", "real:87.46"},
      {"DECIMAL(5,2)", R"(" 1.5 ")", "real:1.5"},
      {"DECIMAL(5,2)", R"("+1.5")", "real:1.5"},
      {"DECIMAL(5,2)", R"(".5")", "real:0.5"},
      {"DECIMAL(5,2)", R"("5.")", "real:5"},
      {"DECIMAL(5,2)", R"("1E2")", "real:100"},
      {"DECIMAL(5,2)", R"("12.3e-1")", "real:1.23"},
      {"DECIMAL(5,2)", R"("0000123.4500")", "real:123.45"},
      {"DECIMAL(5,2)", R"("1e-400")", "real:0"},
      {"DECIMAL(5,2)", R"("1e400")", "!22003"},
      {"DECIMAL(5,2)", R"("1e1001")", "!22P02"},  // numeric_in's exponent limit
      {"DECIMAL(5,2)", R"("NaN")", "!22P02"},
      {"DECIMAL(5,2)", R"("Infinity")", "!22003"},
      {"DECIMAL(5,2)", R"("-inf")", "!22003"},
      {"DECIMAL(5,2)", R"("abc")", "!22P02"},
      {"DECIMAL(5,2)", R"("1.2.3")", "!22P02"},
      {"DECIMAL(5,2)", R"("")", "!22P02"},
      {"DECIMAL(5,2)", R"(".")", "!22P02"},
      {"DECIMAL(5,2)", R"("1e")", "!22P02"},
      {"DECIMAL(5,2)", R"("1 2")", "!22P02"},
      {"DECIMAL(5,2)", R"("- 1")", "!22P02"},
      {"DECIMAL(5,2)", "true", "!22P02"},
      {"DECIMAL(5,2)", "[1]", "!22P02"},
      {"DECIMAL(5,2)", "{}", "!22P02"},
      {"NUMERIC(3)", "2.5", "real:3"},
      {"NUMERIC(3)", "-2.5", "real:-3"},
      {"NUMERIC(3)", "999.4", "real:999"},
      {"NUMERIC(3)", "999.5", "!22003"},
      {"NUMERIC(3,3)", "0.9994", "real:0.999"},
      {"NUMERIC(3,3)", "0.9995", "!22003"},
      {"NUMERIC(3,3)", "1", "!22003"},
      {"NUMERIC", "87.456", "real:87.456"},
      {"NUMERIC", "-0.000001", "real:-1e-06"},
      {"NUMERIC", "12345678901234567890", "real:12345678901234567168"},
      {"NUMERIC", R"("1e400")", "!22003"},
      {"NUMERIC", R"("1e-400")", "real:0"},
      {"NUMERIC", R"("Infinity")", "!22P02"},
      {"NUMERIC", R"("NaN")", "!22P02"},
  });
}

TEST_CASE("values: real takes any JSON number and numeric strings") {
  RunJsonCases({
      {"REAL", "1.5", "real:1.5"},
      {"REAL", "1", "real:1"},
      {"REAL", "-0.1", "real:-0.1"},
      {"REAL", "1e300", "real:1e+300"},
      {"REAL", "18446744073709551615", "real:18446744073709551616"},
      {"DOUBLE PRECISION", R"("3.25")", "real:3.25"},
      {"DOUBLE PRECISION", R"(" 2 ")", "real:2"},
      {"DOUBLE PRECISION", R"("-1e-5")", "real:-1e-05"},
      {"DOUBLE PRECISION", R"("1e400")", "!22003"},
      {"DOUBLE PRECISION", R"("1e-400")", "!22003"},
      {"DOUBLE PRECISION", R"("NaN")", "!22P02"},
      {"DOUBLE PRECISION", R"("Infinity")", "!22P02"},
      {"DOUBLE PRECISION", R"("abc")", "!22P02"},
      {"DOUBLE PRECISION", "true", "!22P02"},
      {"DOUBLE PRECISION", "[1.5]", "!22P02"},
  });
}

TEST_CASE("values: boolean accepts true/false and Postgres' words, never numbers") {
  RunJsonCases({
      {"BOOLEAN", "true", "int:1"},        {"BOOLEAN", "false", "int:0"},
      {"BOOLEAN", R"("t")", "int:1"},      {"BOOLEAN", R"("TRUE")", "int:1"},
      {"BOOLEAN", R"("tr")", "int:1"},     {"BOOLEAN", R"(" yes ")", "int:1"},
      {"BOOLEAN", R"("y")", "int:1"},      {"BOOLEAN", R"("On")", "int:1"},
      {"BOOLEAN", R"("1")", "int:1"},      {"BOOLEAN", R"("f")", "int:0"},
      {"BOOLEAN", R"("False")", "int:0"},  {"BOOLEAN", R"("no")", "int:0"},
      {"BOOLEAN", R"("n")", "int:0"},      {"BOOLEAN", R"("off")", "int:0"},
      {"BOOLEAN", R"("OF")", "int:0"},     {"BOOLEAN", R"("0")", "int:0"},
      {"BOOLEAN", R"("o")", "!22P02"},  // ambiguous: on / off
      {"BOOLEAN", R"("truee")", "!22P02"}, {"BOOLEAN", R"("yess")", "!22P02"},
      {"BOOLEAN", R"("2")", "!22P02"},     {"BOOLEAN", R"("")", "!22P02"},
      {"BOOLEAN", R"("null")", "!22P02"},  {"BOOLEAN", "1", "!22P02"},
      {"BOOLEAN", "0", "!22P02"},          {"BOOLEAN", "1.0", "!22P02"},
      {"BOOLEAN", "[]", "!22P02"},         {"BOOLEAN", "{}", "!22P02"},
  });
}

TEST_CASE("values: text and varchar take strings and the text of other JSON values") {
  RunJsonCases({
      {"TEXT", R"("hello")", "text:hello"},
      {"TEXT", R"("")", "text:"},
      {"TEXT", R"("  padded  ")", "text:  padded  "},
      {"TEXT", "42", "text:42"},
      {"TEXT", "-1.5", "text:-1.5"},
      {"TEXT", "true", "text:true"},
      {"TEXT", R"({"a":[1,2]})", R"(text:{"a":[1,2]})"},
      {"TEXT", R"(["x"])", R"(text:["x"])"},
      {"TEXT", R"("😀 e\u0301")", "text:😀 e\xcc\x81"},
      {"TEXT", R"("quote \" backslash \\ tab \t")", "text:quote \" backslash \\ tab \t"},
      {"TEXT", R"("a\u0000b")", "!22P05"},
      {"VARCHAR(3)", R"("abc")", "text:abc"},
      {"VARCHAR(3)", R"("abcd")", "!22001"},
      {"VARCHAR(3)", R"("😀😀😀")", "text:😀😀😀"},  // 12 bytes, 3 code points
      {"VARCHAR(3)", R"("😀😀😀😀")", "!22001"},
      {"VARCHAR(3)", R"("ééé")", "text:ééé"},
      {"VARCHAR(3)", R"("e\u0301e\u0301")", "!22001"},  // 4 code points: e + U+0301, twice
      {"VARCHAR(3)", R"("ab  ")", "text:ab "},          // excess spaces are cut, as Postgres does
      {"VARCHAR(3)", R"("abc      ")", "text:abc"},
      {"VARCHAR(3)", R"("abcd ")", "!22001"},
      {"VARCHAR(3)", R"("ab x")", "!22001"},
      {"VARCHAR(3)", "123", "text:123"},
      {"VARCHAR(3)", "1234", "!22001"},
      {"VARCHAR(3)", "true", "!22001"},
      {"VARCHAR(3)", R"("")", "text:"},
      {"VARCHAR", R"("no limit at all")", "text:no limit at all"},
  });
}

TEST_CASE("values: jsonb stores any JSON value as compact text") {
  RunJsonCases({
      {"JSONB", R"({"b": 1, "a": [1, 2, {"c": null}]})", R"(text:{"a":[1,2,{"c":null}],"b":1})"},
      {"JSONB", "5", "text:5"},
      {"JSONB", "1.5", "text:1.5"},
      {"JSONB", "-0", "text:0"},
      {"JSONB", R"("s")", R"(text:"s")"},
      {"JSONB", "true", "text:true"},
      {"JSONB", "[]", "text:[]"},
      {"JSONB", "{}", "text:{}"},
      {"JSONB", R"(["😀", "line\nbreak", "\u0001"])", "text:[\"😀\",\"line\\nbreak\",\"\\u0001\"]"},
      // jsonb_in converts every string and key to text, so U+0000 anywhere is refused; json_in
      // keeps the text as written; an escaped backslash before "u0000" is no NUL.
      {"JSONB", R"({"a":"x\u0000y"})", "!22P05"},
      {"JSONB", R"({"a":[1,{"b":["\u0000"]}]})", "!22P05"},
      {"JSONB", R"({"k\u0000":1})", "!22P05"},
      {"JSONB", R"("\u0000")", "!22P05"},
      {"JSONB", R"({"a":"\\u0000"})", R"(text:{"a":"\\u0000"})"},
      {"JSON", R"({"a":"x\u0000y"})", R"(text:{"a":"x\u0000y"})"},
      {"JSON", R"({"k": [true, false]})", R"(text:{"k":[true,false]})"},
  });
}

TEST_CASE("values: timestamptz and date from JSON") {
  RunJsonCases({
      {"TIMESTAMPTZ", R"("2024-05-01T12:00:00Z")", "text:2024-05-01T12:00:00.000000+00:00"},
      {"TIMESTAMPTZ", R"("2024-05-01T12:00:00.000Z")", "text:2024-05-01T12:00:00.000000+00:00"},
      {"TIMESTAMPTZ", R"("2024-05-01 12:00:00.5+05:30")", "text:2024-05-01T06:30:00.500000+00:00"},
      {"TIMESTAMPTZ", R"("garbage")", "!22007"},
      {"TIMESTAMPTZ", R"("2023-02-29T00:00:00Z")", "!22008"},
      {"TIMESTAMPTZ", "1714564800", "!22007"},
      {"TIMESTAMPTZ", "true", "!22007"},
      {"TIMESTAMPTZ", "{}", "!22007"},
      {"DATE", R"("2024-02-29")", "text:2024-02-29"},
      {"DATE", R"("2024-01-01T23:00:00-05:00")", "text:2024-01-01"},
      {"DATE", R"("2023-02-29")", "!22008"},
      {"DATE", R"("01/02/2024")", "!22007"},
      {"DATE", "20240229", "!22007"},
  });
}

TEST_CASE("values: text[] from JSON arrays and Postgres array literals") {
  RunJsonCases({
      {"TEXT[]", R"(["a", "b"])", R"(text:["a","b"])"},
      {"TEXT[]", "[]", "text:[]"},
      {"TEXT[]", R"(["a,b", "c\"d", "😀", "{x}", ""])", R"(text:["a,b","c\"d","😀","{x}",""])"},
      {"TEXT[]", R"([null, "x"])", R"(text:[null,"x"])"},
      {"TEXT[]", R"(["tab\there"])", R"(text:["tab\there"])"},
      {"TEXT[]", R"("{a,b,\"c d\"}")", R"(text:["a","b","c d"])"},
      {"TEXT[]", R"("{}")", "text:[]"},
      {"TEXT[]", R"(["a\u0000"])", "!22P05"},
      {"TEXT[]", "[1]", "!22P02"},
      {"TEXT[]", "[true]", "!22P02"},
      {"TEXT[]", R"([["a"]])", "!22P02"},
      {"TEXT[]", R"([{"a":1}])", "!22P02"},
      {"TEXT[]", R"("a")", "!22P02"},
      {"TEXT[]", R"("[\"a\"]")", "!22P02"},
      {"TEXT[]", "5", "!22P02"},
      {"TEXT[]", "true", "!22P02"},
      {"TEXT[]", R"({"a":1})", "!22P02"},
  });
}

TEST_CASE("values: bytea from JSON strings in hex or escape format") {
  RunJsonCases({
      {"BYTEA", R"("\\xdeadBEEF")", "blob:\\xdeadbeef"},
      {"BYTEA", R"("\\x")", "blob:\\x"},
      {"BYTEA", R"("\\x de ad\n")", "blob:\\xdead"},
      {"BYTEA", R"("abc")", "blob:\\x616263"},
      {"BYTEA", R"("a\\\\b")", "blob:\\x615c62"},
      {"BYTEA", R"("\\101\\000")", "blob:\\x4100"},
      {"BYTEA", R"("")", "blob:\\x"},
      {"BYTEA", R"("\\xabc")", "!22023"},
      {"BYTEA", R"("\\xzz")", "!22023"},
      {"BYTEA", R"("\\9")", "!22P02"},
      {"BYTEA", R"("\\")", "!22P02"},
      {"BYTEA", R"("\\47")", "!22P02"},
  });
}

// ---------------------------------------------------------------------------------------------
// FromText (filter operands, RPC GET args)

TEST_CASE("values: FromText casts query-string text like Postgres") {
  RunTextCases({
      {"UUID", "123E4567-E89B-12D3-A456-426614174000", "text:123e4567-e89b-12d3-a456-426614174000"},
      {"UUID", "null", "!22P02"},
      {"UUID", "", "!22P02"},
      {"INT", "42", "int:42"},
      {"INT", " 42\t", "int:42"},
      {"INT", "-2147483648", "int:-2147483648"},
      {"INT", "2147483647", "int:2147483647"},
      {"INT", "2147483648", "!22003"},
      {"INT", "-2147483649", "!22003"},
      {"INT", "null", "!22P02"},
      {"INT", "1.5", "!22P02"},
      {"INT", "", "!22P02"},
      {"INT", "1_000", "!22P02"},
      {"BIGINT", "9223372036854775807", "int:9223372036854775807"},
      {"BIGINT", "9223372036854775808", "!22003"},
      {"DECIMAL(5,2)", "87.456", "real:87.46"},
      {"DECIMAL(5,2)", "-0", "real:0"},
      {"DECIMAL(5,2)", "999.995", "!22003"},
      {"DECIMAL(5,2)", "1e400", "!22003"},
      {"DECIMAL(5,2)", "abc", "!22P02"},
      {"NUMERIC", "1e400", "!22003"},
      {"NUMERIC", "1e-1001", "!22P02"},
      {"REAL", "1.5", "real:1.5"},
      {"REAL", "1e400", "!22003"},
      {"REAL", "inf", "!22P02"},
      {"BOOLEAN", "true", "int:1"},
      {"BOOLEAN", "false", "int:0"},
      {"BOOLEAN", "t", "int:1"},
      {"BOOLEAN", " OFF ", "int:0"},
      {"BOOLEAN", "null", "!22P02"},
      {"TEXT", "a,b (c)", "text:a,b (c)"},
      {"TEXT", "null", "text:null"},
      {"TEXT", "", "text:"},
      {"VARCHAR(3)", "abcdef", "text:abcdef"},  // an operand, not a stored value: no length check
      {"JSONB", R"({"b": 1, "a": 2})", R"(text:{"a":2,"b":1})"},
      {"JSONB", "null", "text:null"},  // the JSON null, not SQL NULL
      {"JSONB", "[1, 2]", "text:[1,2]"},
      {"JSONB", R"("s")", R"(text:"s")"},
      {"JSONB", " 5 ", "text:5"},
      {"JSONB", "x", "!22P02"},
      {"JSONB", "{", "!22P02"},
      {"JSONB", "", "!22P02"},
      {"JSONB", R"({"a":1} x)", "!22P02"},
      {"JSONB", "1e400", "!22P02"},
      {"JSONB", "{\"a\":\"\xff\"}", "!22P02"},  // invalid UTF-8
      {"JSONB", R"({"a":"\u0000"})", "!22P05"},
      {"JSONB", R"(["\\u0000"])", R"(text:["\\u0000"])"},
      {"TIMESTAMPTZ", "2024-01-01T00:00:00.000Z", "text:2024-01-01T00:00:00.000000+00:00"},
      {"TIMESTAMPTZ", "garbage", "!22007"},
      {"DATE", "2024-01-01", "text:2024-01-01"},
      {"DATE", "2024-01-01T10:00:00Z", "text:2024-01-01"},
      {"DATE", "nope", "!22007"},
      {"BYTEA", "\\x00ff", "blob:\\x00ff"},
      {"BYTEA", "\\X0A 0b", "blob:\\x0a0b"},
  });
}

TEST_CASE("values: text[] parses Postgres array literals") {
  RunTextCases({
      {"TEXT[]", "{a,b}", R"(text:["a","b"])"},
      {"TEXT[]", "{}", "text:[]"},
      {"TEXT[]", " { } ", "text:[]"},
      {"TEXT[]", R"({a,"b,c","d\"e",NULL,"NULL",null})",
       R"(text:["a","b,c","d\"e",null,"NULL",null])"},
      {"TEXT[]", "{ a b , c }", R"(text:["a b","c"])"},
      {"TEXT[]", R"({a\,b,c\\d})", R"(text:["a,b","c\\d"])"},
      {"TEXT[]", R"({a\ })", R"(text:["a "])"},
      {"TEXT[]", R"({"",""})", R"(text:["",""])"},
      {"TEXT[]", R"({"  x  "})", R"(text:["  x  "])"},
      {"TEXT[]", "{😀,é,e\xcc\x81}", "text:[\"😀\",\"é\",\"e\xcc\x81\"]"},
      {"TEXT[]", "{\"tab\there\"}", R"(text:["tab\there"])"},
      {"TEXT[]", "a,b", "!22P02"},
      {"TEXT[]", "", "!22P02"},
      {"TEXT[]", R"(["a"])", "!22P02"},
      {"TEXT[]", "{a,,b}", "!22P02"},
      {"TEXT[]", "{a,}", "!22P02"},
      {"TEXT[]", "{,a}", "!22P02"},
      {"TEXT[]", "{a", "!22P02"},
      {"TEXT[]", R"({"a)", "!22P02"},
      {"TEXT[]", R"({a\)", "!22P02"},
      {"TEXT[]", "{a}x", "!22P02"},
      {"TEXT[]", "{{a}}", "!22P02"},  // one dimension only
      {"TEXT[]", R"({"a"b})", "!22P02"},
      {"TEXT[]", R"({a"b})", "!22P02"},
      {"TEXT[]", "[1:1]={a}", "!22P02"},
  });
}

// ---------------------------------------------------------------------------------------------
// Timestamps

TEST_CASE("values: timestamptz accepts offsets") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2024-05-01T12:00:00Z", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01T12:00:00z", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01t12:00:00Z", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01T12:00:00+00:00", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01T12:00:00-00:00", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01T12:00:00+05:30", "2024-05-01T06:30:00.000000+00:00"},
      {"2024-05-01T12:00:00-09:30", "2024-05-01T21:30:00.000000+00:00"},
      {"2024-05-01T12:00:00+14", "2024-04-30T22:00:00.000000+00:00"},
      {"2024-05-01T12:00:00-7", "2024-05-01T19:00:00.000000+00:00"},
      {"2024-05-01T12:00:00+0530", "2024-05-01T06:30:00.000000+00:00"},
      {"2024-05-01T12:00:00-0930", "2024-05-01T21:30:00.000000+00:00"},
      {"2024-05-01T12:00:00+05:30:15", "2024-05-01T06:29:45.000000+00:00"},
      {"2024-05-01T12:00:00+053015", "2024-05-01T06:29:45.000000+00:00"},
      {"2024-05-01T12:00:00+15:59:59", "2024-04-30T20:00:01.000000+00:00"},
      {"2024-05-01T12:00:00 +05:30", "2024-05-01T06:30:00.000000+00:00"},
      {"2024-05-01T12:00:00 Z", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01 12:00:00 UTC", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01 12:00:00gmt", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01 12:00:00.5+05:30", "2024-05-01T06:30:00.500000+00:00"},
      // no offset: UTC
      {"2024-05-01 12:00:00", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01   12:00:00", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01T12:00", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-05-01T12:00+02:00", "2024-05-01T10:00:00.000000+00:00"},
      {"2024-05-01", "2024-05-01T00:00:00.000000+00:00"},
      {"  2024-05-01T12:00:00Z\t", "2024-05-01T12:00:00.000000+00:00"},
      {"2024-1-5 3:04:05", "2024-01-05T03:04:05.000000+00:00"},
  };
  for (const auto& c : cases) {
    INFO("input = " << c.first);
    CHECK(TsOutcome(c.first) == c.second);
  }
}

TEST_CASE("values: timestamptz crosses day, month and year boundaries when converting") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1999-12-31T23:30:00-01:00", "2000-01-01T00:30:00.000000+00:00"},
      {"2000-01-01T00:30:00+01:00", "1999-12-31T23:30:00.000000+00:00"},
      {"2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00.000000+00:00"},
      {"2023-03-01T00:30:00+01:00", "2023-02-28T23:30:00.000000+00:00"},
      {"2024-02-29T23:00:00-02:00", "2024-03-01T01:00:00.000000+00:00"},
      {"2024-04-30T20:00:00-09:30", "2024-05-01T05:30:00.000000+00:00"},
      {"2024-01-01T05:00:00+14:00", "2023-12-31T15:00:00.000000+00:00"},
      {"1970-01-01T00:00:00+00:01", "1969-12-31T23:59:00.000000+00:00"},
      {"1900-03-01T00:00:00+01:00", "1900-02-28T23:00:00.000000+00:00"},
      {"2000-03-01T00:00:00+01:00", "2000-02-29T23:00:00.000000+00:00"},
  };
  for (const auto& c : cases) {
    INFO("input = " << c.first);
    CHECK(TsOutcome(c.first) == c.second);
  }
}

TEST_CASE("values: timestamptz fractions round half up to microseconds") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2024-05-01T12:00:00.5Z", "2024-05-01T12:00:00.500000+00:00"},
      {"2024-05-01T12:00:00.05Z", "2024-05-01T12:00:00.050000+00:00"},
      {"2024-05-01T12:00:00.123456Z", "2024-05-01T12:00:00.123456+00:00"},
      {"2024-05-01T12:00:00.1234567Z", "2024-05-01T12:00:00.123457+00:00"},
      {"2024-05-01T12:00:00.1234564Z", "2024-05-01T12:00:00.123456+00:00"},
      {"2024-05-01T12:00:00.1234565Z", "2024-05-01T12:00:00.123457+00:00"},
      {"2024-05-01T12:00:00.123456499999Z", "2024-05-01T12:00:00.123456+00:00"},
      {"2024-05-01T12:00:00.0000005Z", "2024-05-01T12:00:00.000001+00:00"},
      {"2024-05-01T12:00:00.9999995Z", "2024-05-01T12:00:01.000000+00:00"},
      {"2024-12-31T23:59:59.9999999Z", "2025-01-01T00:00:00.000000+00:00"},
      {"2024-05-01T12:00:00.000000000000000001Z", "2024-05-01T12:00:00.000000+00:00"},
  };
  for (const auto& c : cases) {
    INFO("input = " << c.first);
    CHECK(TsOutcome(c.first) == c.second);
  }
}

TEST_CASE("values: timestamptz validates calendar and clock fields") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2000-02-29", "2000-02-29T00:00:00.000000+00:00"},
      {"2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000000+00:00"},
      {"2400-02-29", "2400-02-29T00:00:00.000000+00:00"},
      {"1900-02-29", "!22008"},
      {"2023-02-29", "!22008"},
      {"2100-02-29", "!22008"},
      {"2024-04-31", "!22008"},
      {"2024-04-30", "2024-04-30T00:00:00.000000+00:00"},
      {"2024-13-01", "!22008"},
      {"2024-00-10", "!22008"},
      {"2024-01-00", "!22008"},
      {"2024-01-32", "!22008"},
      {"2024-01-01T24:00:00Z", "2024-01-02T00:00:00.000000+00:00"},
      {"2024-12-31T24:00", "2025-01-01T00:00:00.000000+00:00"},
      {"2024-01-01T24:00:01Z", "!22008"},
      {"2024-01-01T24:01:00Z", "!22008"},
      {"2024-01-01T24:00:00.5Z", "!22008"},
      {"2024-01-01T25:00:00Z", "!22008"},
      {"2024-01-01T12:60:00Z", "!22008"},
      {"2024-01-01T23:59:59Z", "2024-01-01T23:59:59.000000+00:00"},
      {"2024-12-31T23:59:60Z", "2025-01-01T00:00:00.000000+00:00"},  // rolls over, as Postgres
      {"2024-01-01T12:00:61Z", "!22008"},
      {"0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000+00:00"},
      {"9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999+00:00"},
      {"0000-01-01", "!22008"},
      {"0001-01-01T00:30:00+01:00", "!22008"},  // UTC falls before year 1
      {"9999-12-31T23:30:00-01:00", "!22008"},  // UTC falls after year 9999
      {"9999-12-31T23:59:59.9999995Z", "!22008"},
      {"2024-05-01T12:00:00+16", "!22009"},
      {"2024-05-01T12:00:00+05:60", "!22009"},
      {"2024-05-01T12:00:00+05:00:60", "!22009"},
  };
  for (const auto& c : cases) {
    INFO("input = " << c.first);
    CHECK(TsOutcome(c.first) == c.second);
  }
}

TEST_CASE("values: timestamptz refuses garbage with 22007") {
  for (const std::string& in : std::initializer_list<std::string>{"",
                                                                  "   ",
                                                                  "garbage",
                                                                  "2024-05-01T",
                                                                  "2024-05-01T12",
                                                                  "2024-05-01T12:",
                                                                  "2024-05-01T12:00:",
                                                                  "2024-05-01T12:00:00.",
                                                                  "2024-05-01T12:00:00Zjunk",
                                                                  "2024-05-01T12:00:00ZZ",
                                                                  "2024/05/01",
                                                                  "24-05-01",
                                                                  "10000-01-01",
                                                                  "2024-05",
                                                                  "2024-05-01TT12:00",
                                                                  "2024-05-01T12:00:00+",
                                                                  "2024-05-01T12:00:00+5:3",
                                                                  "2024-05-01T12:00:00+123",
                                                                  "2024-05-01T12:00:00+1234567",
                                                                  "2024-05-01T12:00:00+05:30:1",
                                                                  "2024-05-01T123:00",
                                                                  "2024-005-01",
                                                                  "infinity",
                                                                  "-infinity",
                                                                  "now",
                                                                  "epoch",
                                                                  "2024-05-01 12:00:00 PST",
                                                                  "1714564800",
                                                                  "2024-05-01T12:00:00.5.5Z"}) {
    INFO("in = " << in);
    CHECK(TsOutcome(in) == "!22007");
  }
}

TEST_CASE("values: date ignores the time part and validates the date") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2024-02-29", "2024-02-29"},
      {"2000-02-29", "2000-02-29"},
      {" 2024-1-2 ", "2024-01-02"},
      {"2024-01-01T10:00:00Z", "2024-01-01"},
      {"2024-01-01 23:59:59-12:00", "2024-01-01"},
      {"2024-01-01T00:30:00+01:00", "2024-01-01"},
      {"0001-01-01", "0001-01-01"},
      {"9999-12-31", "9999-12-31"},
      {"2023-02-29", "!22008"},
      {"1900-02-29", "!22008"},
      {"2024-13-01", "!22008"},
      {"2024-01-01T25:00", "!22008"},
      {"0000-12-31", "!22008"},
      {"abc", "!22007"},
      {"", "!22007"},
      {"2024-01-01x", "!22007"},
      {"20240101", "!22007"},
  };
  for (const auto& c : cases) {
    INFO("input = " << c.first);
    CHECK(DateOutcome(c.first) == c.second);
  }
}

TEST_CASE("values: FormatTimestamptz and ParseCanonicalTimestamptz are exact inverses") {
  const std::vector<std::pair<int64_t, std::string>> known = {
      {0, "1970-01-01T00:00:00.000000+00:00"},
      {-1, "1969-12-31T23:59:59.999999+00:00"},
      {1, "1970-01-01T00:00:00.000001+00:00"},
      {951782400000000, "2000-02-29T00:00:00.000000+00:00"},
      {1714564800123456, "2024-05-01T12:00:00.123456+00:00"},
      {946684799999999, "1999-12-31T23:59:59.999999+00:00"},
      {-62135596800000000, "0001-01-01T00:00:00.000000+00:00"},
      {253402300799999999, "9999-12-31T23:59:59.999999+00:00"},
      {-2208988800000000, "1900-01-01T00:00:00.000000+00:00"},
  };
  for (const auto& k : known) {
    INFO("micros = " << k.first);
    CHECK(FormatTimestamptz(k.first) == k.second);
    CHECK(ParseCanonicalTimestamptz(k.second) == k.first);
  }
  // A sweep over the whole range, with a step that visits every time of day and calendar day.
  const int64_t lo = -62135596800000000, hi = 253402300799999999;
  int checked = 0;
  for (int64_t m = lo; m <= hi; m += 3987654321012347LL / 97) {
    const std::string text = FormatTimestamptz(m);
    REQUIRE(ParseCanonicalTimestamptz(text) == m);
    REQUIRE(NormalizeTimestamptz(text) == text);
    ++checked;
  }
  CHECK(checked > 1000);
  CHECK(Caught([&] { FormatTimestamptz(lo - 1); })->code() == "22008");
  CHECK(Caught([&] { FormatTimestamptz(hi + 1); })->code() == "22008");
}

TEST_CASE("values: calendar arithmetic matches a naive day count") {
  const auto leap = [](int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  // Days since 0001-01-01, counted naively.
  std::vector<int64_t> year_start(10001, 0);
  for (int y = 1; y < 10000; ++y) year_start[y + 1] = year_start[y] + (leap(y) ? 366 : 365);
  const auto naive = [&](int y, int m, int d) {
    int64_t days = year_start[y];
    for (int k = 1; k < m; ++k) days += month_days[k - 1] + (k == 2 && leap(y) ? 1 : 0);
    return days + d - 1;
  };
  const int64_t epoch = naive(1970, 1, 1);
  for (int y = 1; y <= 9999; y += (y < 2100 ? 1 : 37)) {
    for (int m = 1; m <= 12; ++m) {
      const int last = month_days[m - 1] + (m == 2 && leap(y) ? 1 : 0);
      for (int d : {1, 15, last}) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT00:00:00.000000+00:00", y, m, d);
        const int64_t expected = (naive(y, m, d) - epoch) * 86400000000LL;
        REQUIRE(ParseCanonicalTimestamptz(buf) == expected);
        REQUIRE(FormatTimestamptz(expected) == buf);
      }
    }
  }
}

TEST_CASE("values: ParseCanonicalTimestamptz refuses anything not canonical") {
  for (const std::string& in : std::initializer_list<std::string>{
           "", "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.000000+05:30",
           "2024-05-01 12:00:00.000000+00:00", "2024-02-30T00:00:00.000000+00:00",
           "2024-05-01T24:00:00.000000+00:00", "2024-05-01T12:60:00.000000+00:00",
           "2024-05-01T12:00:60.000000+00:00", "0000-01-01T00:00:00.000000+00:00",
           "2024-13-01T00:00:00.000000+00:00", "2024-05-01T12:00:00.00000+00:00",
           "2024-05-01T12:00:00.0000000+00:00", " 2024-05-01T12:00:00.000000+00:00",
           "2024-05-01T12:00:00.00000a+00:00"}) {
    INFO("in = " << in);
    const auto e = Caught([&] { ParseCanonicalTimestamptz(in); });
    REQUIRE(e.has_value());
    CHECK(e->code() == "22007");
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering: every storage class for every kind

TEST_CASE("values: rendering every storage class for every kind") {
  struct Row {
    std::string decl;
    SqlValue stored;
    std::string json;
    std::string text;
  };
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<Row> rows = {
      // text kinds render as JSON strings, escaped
      {"TEXT", std::string("hi"), R"("hi")", "hi"},
      {"TEXT", std::string("a\"b\\c\n\t\x01\x1f/"), R"("a\"b\\c\n\t\u0001\u001f/")",
       "a\"b\\c\n\t\x01\x1f/"},
      {"TEXT", std::string("😀 e\xcc\x81"), "\"😀 e\xcc\x81\"", "😀 e\xcc\x81"},
      {"TEXT", std::string(""), R"("")", ""},
      {"TEXT", int64_t{5}, R"("5")", "5"},
      {"TEXT", 1.5, R"("1.5")", "1.5"},
      {"TEXT", Blob{"ab"}, R"("ab")", "ab"},
      {"VARCHAR(10)", std::string("x"), R"("x")", "x"},
      {"UUID", std::string("123e4567-e89b-12d3-a456-426614174000"),
       R"("123e4567-e89b-12d3-a456-426614174000")", "123e4567-e89b-12d3-a456-426614174000"},
      {"DATE", std::string("2024-01-01"), R"("2024-01-01")", "2024-01-01"},
      {"DATE", int64_t{2024}, R"("2024")", "2024"},
      // timestamptz: canonical as is, other text normalised when possible; text in Postgres' form
      {"TIMESTAMPTZ", std::string("2024-05-01T12:00:00.123456+00:00"),
       R"("2024-05-01T12:00:00.123456+00:00")", "2024-05-01 12:00:00.123456+00"},
      {"TIMESTAMPTZ", std::string("2024-05-01 12:00:00"), R"("2024-05-01T12:00:00.000000+00:00")",
       "2024-05-01 12:00:00+00"},
      {"TIMESTAMPTZ", std::string("junk"), R"("junk")", "junk"},
      {"TIMESTAMPTZ", int64_t{5}, R"("5")", "5"},
      // integers
      {"INT", int64_t{5}, "5", "5"},
      {"INT", int64_t{-2147483648}, "-2147483648", "-2147483648"},
      {"INT", 5.0, "5", "5"},
      {"INT", std::string("12"), "12", "12"},
      {"INT", std::string("abc"), R"("abc")", "abc"},
      {"INT", Blob{"x"}, R"("x")", "x"},
      {"BIGINT", int64_t{9223372036854775807}, "9223372036854775807", "9223372036854775807"},
      // decimals: `scale` digits whatever the storage class
      {"DECIMAL(5,2)", int64_t{87}, "87.00", "87.00"},
      {"DECIMAL(5,2)", int64_t{-3}, "-3.00", "-3.00"},
      {"DECIMAL(5,2)", 87.46, "87.46", "87.46"},
      {"DECIMAL(5,2)", 87.5, "87.50", "87.50"},
      {"DECIMAL(5,2)", 2.68, "2.68", "2.68"},
      {"DECIMAL(5,2)", 0.0, "0.00", "0.00"},
      {"DECIMAL(5,2)", -0.0, "0.00", "0.00"},
      {"DECIMAL(5,2)", std::string("1.5"), "1.5", "1.5"},
      {"DECIMAL(5,2)", std::string("x"), R"("x")", "x"},
      {"DECIMAL(10,4)", int64_t{9007199254740993}, "9007199254740993.0000",
       "9007199254740993.0000"},
      {"NUMERIC(7)", 12.0, "12", "12"},
      {"NUMERIC", 87.456, "87.456", "87.456"},
      {"NUMERIC", int64_t{87}, "87", "87"},
      // reals
      {"REAL", 1.5, "1.5", "1.5"},
      {"REAL", int64_t{2}, "2", "2"},
      {"REAL", 1e20, "1e+20", "1e+20"},
      {"REAL", inf, "null", "Infinity"},
      {"DOUBLE PRECISION", 0.1, "0.1", "0.1"},
      // booleans: JSON true/false, text t/f (boolout)
      {"BOOLEAN", int64_t{1}, "true", "t"},
      {"BOOLEAN", int64_t{0}, "false", "f"},
      {"BOOLEAN", int64_t{7}, "true", "t"},
      {"BOOLEAN", 0.0, "false", "f"},
      {"BOOLEAN", 1.0, "true", "t"},
      {"BOOLEAN", std::string("t"), "true", "t"},
      {"BOOLEAN", std::string("false"), "false", "f"},
      {"BOOLEAN", std::string("maybe"), R"("maybe")", "maybe"},
      // jsonb: text is already JSON; numeric affinity may have made numbers of it
      {"JSONB", std::string(R"({"a":[1,{"b":"😀"}]})"), R"({"a":[1,{"b":"😀"}]})",
       R"({"a":[1,{"b":"😀"}]})"},
      {"JSONB", std::string(R"("s")"), R"("s")", R"("s")"},
      {"JSONB", std::string("null"), "null", "null"},
      {"JSONB", std::string("true"), "true", "true"},
      {"JSONB", std::string(""), R"("")", ""},
      {"JSONB", int64_t{5}, "5", "5"},
      {"JSONB", 1.5, "1.5", "1.5"},
      {"JSON", Blob{"[1]"}, "[1]", "[1]"},
      // text[]: JSON arrays; text in array_out's form
      {"TEXT[]", std::string(R"(["a","b c"])"), R"(["a","b c"])", R"({a,"b c"})"},
      {"TEXT[]", std::string("[]"), "[]", "{}"},
      {"TEXT[]", std::string(R"({a,"b c",NULL})"), R"(["a","b c",null])", R"({a,"b c",NULL})"},
      {"TEXT[]", std::string("{a"), R"("{a")", "{a"},
      {"TEXT[]", std::string("plain"), R"("plain")", "plain"},
      {"TEXT[]", int64_t{5}, R"("5")", "5"},
      // bytea
      {"BYTEA", Blob{std::string("\xde\xad\x00", 3)}, R"("\\xdead00")", "\\xdead00"},
      {"BYTEA", Blob{""}, R"("\\x")", "\\x"},
      {"BYTEA", std::string("ab"), R"("\\x6162")", "\\x6162"},
      {"BYTEA", int64_t{5}, R"("\\x35")", "\\x35"},
  };
  for (const auto& r : rows) {
    INFO("r.decl = " << r.decl);
    INFO("Show(r.stored) = " << Show(r.stored));
    CHECK(RenderJson(r.decl, r.stored) == r.json);
    CHECK(RenderText(r.decl, r.stored) == r.text);
    // Every rendering is valid JSON.
    CHECK(json::accept(RenderJson(r.decl, r.stored)));
  }
  for (const std::string& decl : std::initializer_list<std::string>{
           "UUID", "TEXT", "VARCHAR(3)", "INT", "BIGINT", "DECIMAL(5,2)", "REAL", "BOOLEAN",
           "JSONB", "TIMESTAMPTZ", "DATE", "TEXT[]", "BYTEA"}) {
    INFO("decl = " << decl);
    CHECK(RenderJson(decl, std::monostate{}) == "null");
    CHECK(RenderText(decl, std::monostate{}).empty());
  }
}

// PostgREST's CSV body is each row's text form (record_out), so every cell is what the column
// type's output function writes: boolout, timestamptz_out (UTC, ISO), array_out, numeric_out...
TEST_CASE("values: ToText is Postgres' text form, as PostgREST's CSV shows it") {
  struct Row {
    std::string decl;
    SqlValue stored;
    std::string text;
  };
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<Row> rows = {
      // boolout: t / f; text that is no boolean as stored
      {"BOOLEAN", int64_t{1}, "t"},
      {"BOOLEAN", int64_t{0}, "f"},
      {"BOOLEAN", std::string("yes"), "t"},
      {"BOOLEAN", std::string("off"), "f"},
      {"BOOLEAN", std::string("maybe"), "maybe"},
      // timestamptz_out: space separator, fraction without trailing zeros, offset +00
      {"TIMESTAMPTZ", std::string("2024-05-01T12:00:00.123456+00:00"),
       "2024-05-01 12:00:00.123456+00"},
      {"TIMESTAMPTZ", std::string("2024-05-01T12:00:00.500000+00:00"), "2024-05-01 12:00:00.5+00"},
      {"TIMESTAMPTZ", std::string("2024-05-01T12:00:00.120000+00:00"), "2024-05-01 12:00:00.12+00"},
      {"TIMESTAMPTZ", std::string("2024-05-01T12:00:00.000001+00:00"),
       "2024-05-01 12:00:00.000001+00"},
      {"TIMESTAMPTZ", std::string("2024-05-01T12:00:00.000000+00:00"), "2024-05-01 12:00:00+00"},
      {"TIMESTAMPTZ", std::string("0001-01-01T00:00:00.000000+00:00"), "0001-01-01 00:00:00+00"},
      {"TIMESTAMPTZ", std::string("2024-05-01 12:00:00.5+05:30"), "2024-05-01 06:30:00.5+00"},
      {"TIMESTAMPTZ", std::string("2024-05-01"), "2024-05-01 00:00:00+00"},
      {"TIMESTAMPTZ", std::string("junk"), "junk"},
      {"TIMESTAMPTZ", int64_t{5}, "5"},
      // array_out: quotes empty, NULL-looking, and delimiter/brace/quote/backslash/space elements
      {"TEXT[]", std::string(R"(["a","b"])"), "{a,b}"},
      {"TEXT[]", std::string("[]"), "{}"},
      {"TEXT[]", std::string("[null]"), "{NULL}"},
      {"TEXT[]", std::string(R"(["NULL","null","Null","nul"])"), R"({"NULL","null","Null",nul})"},
      {"TEXT[]", std::string(R"([""])"), R"({""})"},
      {"TEXT[]", std::string(R"(["a,b","c d","{x}","y}"])"), R"({"a,b","c d","{x}","y}"})"},
      {"TEXT[]", std::string(R"(["say \"hi\"","back\\slash"])"), R"({"say \"hi\"","back\\slash"})"},
      {"TEXT[]", std::string(R"(["tab\there","new\nline"])"), "{\"tab\there\",\"new\nline\"}"},
      {"TEXT[]", std::string(R"(["é😀","x-y.z_1"])"), "{é😀,x-y.z_1}"},
      {"TEXT[]", std::string(R"({ a , "b c" ,NULL})"), R"({a,"b c",NULL})"},
      {"TEXT[]", Blob{R"(["x"])"}, "{x}"},
      {"TEXT[]", std::string("[1,2]"), "[1,2]"},
      {"TEXT[]", std::string("{a"), "{a"},
      {"TEXT[]", std::string("plain"), "plain"},
      {"TEXT[]", int64_t{5}, "5"},
      // numbers: decimals keep their scale; non-finite reals are spelled out
      {"DECIMAL(5,2)", int64_t{87}, "87.00"},
      {"DECIMAL(5,2)", 87.5, "87.50"},
      {"DECIMAL(5,2)", -0.0, "0.00"},
      {"NUMERIC", 87.456, "87.456"},
      {"INT", int64_t{-7}, "-7"},
      {"REAL", 0.1, "0.1"},
      {"REAL", inf, "Infinity"},
      {"REAL", -inf, "-Infinity"},
      {"DECIMAL(5,2)", -inf, "-Infinity"},
      // jsonb: its compact JSON text; a string keeps its quotes
      {"JSONB", std::string(R"({"a":[1,{"b":"x y"}]})"), R"({"a":[1,{"b":"x y"}]})"},
      {"JSONB", std::string(R"("s")"), R"("s")"},
      {"JSONB", int64_t{5}, "5"},
      // the rest as stored; CSV quoting is the renderer's job
      {"TEXT", std::string("a,\"b\"\n"), "a,\"b\"\n"},
      {"UUID", std::string("123e4567-e89b-12d3-a456-426614174000"),
       "123e4567-e89b-12d3-a456-426614174000"},
      {"DATE", std::string("2024-01-01"), "2024-01-01"},
      {"BYTEA", Blob{std::string("\x01\xff", 2)}, "\\x01ff"},
      {"TEXT", std::monostate{}, ""},
  };
  for (const auto& r : rows) {
    INFO("r.decl = " << r.decl);
    INFO("Show(r.stored) = " << Show(r.stored));
    CHECK(RenderText(r.decl, r.stored) == r.text);
  }
}

// Postgres reads its own text output back: what a CSV cell says, FromText turns into the same
// stored value.
TEST_CASE("values: CastToText is Postgres' ::text cast: words for bool, jsonb_out's spacing") {
  struct Row {
    std::string decl;
    SqlValue stored;
    std::string text;
  };
  const std::vector<Row> rows = {
      // bool::text says true / false (boolout says t / f); text that is no boolean as stored
      {"BOOLEAN", int64_t{1}, "true"},
      {"BOOLEAN", int64_t{0}, "false"},
      {"BOOLEAN", std::string("maybe"), "maybe"},
      // jsonb::text is jsonb_out: ": " after keys, ", " between items, strings untouched
      {"JSONB", std::string(R"({"a":[1,{"b":null}],"c":"x: y, z"})"),
       R"({"a": [1, {"b": null}], "c": "x: y, z"})"},
      {"JSONB", std::string(R"({"q":"\"a\":1,\\","r":[]})"), R"({"q": "\"a\":1,\\", "r": []})"},
      {"JSONB", std::string(R"("plain, text")"), R"("plain, text")"},
      {"JSONB", int64_t{5}, "5"},
      {"JSONB", std::string("{}"), "{}"},
      // a column declared json keeps its stored text
      {"JSON", std::string(R"({"a":1,"b":2})"), R"({"a":1,"b":2})"},
      // the rest as ToText
      {"DECIMAL(5,2)", 87.5, "87.50"},
      {"TIMESTAMPTZ", std::string("2024-05-01T12:00:00.500000+00:00"), "2024-05-01 12:00:00.5+00"},
      {"TEXT[]", std::string(R"(["a","b c"])"), R"({a,"b c"})"},
      {"DOUBLE PRECISION", std::numeric_limits<double>::infinity(), "Infinity"},
      {"TEXT", std::string("as is"), "as is"},
      {"BOOLEAN", SqlValue{}, ""},
  };
  for (const auto& row : rows) {
    CAPTURE(row.decl);
    CHECK(CastToText(ParseDeclaredType(row.decl), ViewOf(row.stored)) == row.text);
  }
}

TEST_CASE("values: ToText reads back through FromText to the same storage") {
  const std::vector<Case> cases = {
      {"TEXT[]", R"(["a","b c","",null,"NULL","x,y","q\"t","b\\s","{br}","t\tb","é"])", ""},
      {"TEXT[]", "[]", ""},
      {"TIMESTAMPTZ", R"("2024-05-01T12:00:00.123456Z")", ""},
      {"TIMESTAMPTZ", R"("2024-05-01T12:00:00.5-03:00")", ""},
      {"TIMESTAMPTZ", R"("1999-12-31T23:59:59Z")", ""},
      {"BOOLEAN", "true", ""},
      {"BOOLEAN", "false", ""},
      {"DECIMAL(5,2)", "87.5", ""},
      {"BIGINT", "-9223372036854775808", ""},
      {"REAL", "1e20", ""},
      {"JSONB", R"({"a":[1,"x y"],"b":null})", ""},
      {"BYTEA", R"("\\xdead00")", ""},
      {"UUID", R"("123e4567-e89b-12d3-a456-426614174000")", ""},
      {"DATE", R"("2024-02-29")", ""},
  };
  for (const auto& c : cases) {
    INFO("c.decl = " << c.decl);
    INFO("c.input = " << c.input);
    const ColumnType t = ParseDeclaredType(c.decl);
    const SqlValue stored = FromJson(t, json::parse(c.input));
    const std::string text = ToText(t, ViewOf(stored));
    INFO("text = " << text);
    CHECK(Show(FromText(t, text)) == Show(stored));
  }
}

TEST_CASE("values: AppendJson appends to what is already there") {
  std::string out = "[";
  const SqlValue a = int64_t{1}, b = std::string("x");
  AppendJson(out, ParseDeclaredType("INT"), ViewOf(a));
  out += ",";
  AppendJson(out, ParseDeclaredType("TEXT"), ViewOf(b));
  out += "]";
  CHECK(out == R"([1,"x"])");
}

TEST_CASE("values: ViewOf borrows every alternative") {
  const SqlValue n, i = int64_t{-7}, d = 2.5, s = std::string("txt"), b = Blob{"by"};
  CHECK(ViewOf(n).is_null());
  CHECK(ViewOf(i).type == SqlValueView::Type::kInteger);
  CHECK(ViewOf(i).integer == -7);
  CHECK(ViewOf(d).type == SqlValueView::Type::kReal);
  CHECK(ViewOf(d).real == 2.5);
  CHECK(ViewOf(s).type == SqlValueView::Type::kText);
  CHECK(ViewOf(s).text.data() == std::get<std::string>(s).data());
  CHECK(ViewOf(b).type == SqlValueView::Type::kBlob);
  CHECK(ViewOf(b).text == "by");
}

// ---------------------------------------------------------------------------------------------
// Round trips: JSON in, storage, JSON out

TEST_CASE("values: JSON round trips through storage for every kind") {
  const std::vector<Case> cases = {
      {"UUID", R"("123E4567-E89B-12D3-A456-426614174000")",
       R"("123e4567-e89b-12d3-a456-426614174000")"},
      {"TEXT", R"("a\"b\\c\n\u0001😀")", R"("a\"b\\c\n\u0001😀")"},
      {"TEXT", "42", R"("42")"},
      {"VARCHAR(5)", R"("héllo")", R"("héllo")"},
      {"INT", R"("42")", "42"},
      {"BIGINT", "-9223372036854775808", "-9223372036854775808"},
      {"DECIMAL(5,2)", "87.456", "87.46"},
      {"DECIMAL(5,2)", "87", "87.00"},
      {"DECIMAL(5,2)", "2.675", "2.68"},
      {"DECIMAL(5,2)", "-0.001", "0.00"},
      {"REAL", "0.1", "0.1"},
      {"BOOLEAN", R"("yes")", "true"},
      {"BOOLEAN", "false", "false"},
      {"JSONB", R"({"k":"é\u0001\"","arr":[1,2.5,-3,true,false,null,{"x":[]}],"e":"😀"})",
       R"({"e":"😀","k":"é\u0001\"","arr":[1,2.5,-3,true,false,null,{"x":[]}]})"},  // jsonb's order
      {"JSONB", R"("just a string")", R"("just a string")"},
      {"TIMESTAMPTZ", R"("1999-12-31T23:30:00-01:00")", R"("2000-01-01T00:30:00.000000+00:00")"},
      {"DATE", R"("2024-02-29T23:00:00Z")", R"("2024-02-29")"},
      {"TEXT[]", R"("{a,\"b,c\",NULL}")", R"(["a","b,c",null])"},
      {"TEXT[]", R"(["x\"y","😀"])", R"(["x\"y","😀"])"},
      {"BYTEA", R"("\\xDEADbeef")", R"("\\xdeadbeef")"},
  };
  for (const auto& c : cases) {
    INFO("c.decl = " << c.decl);
    INFO("c.input = " << c.input);
    const ColumnType t = ParseDeclaredType(c.decl);
    const SqlValue stored = FromJson(t, json::parse(c.input));
    std::string out;
    AppendJson(out, t, ViewOf(stored));
    CHECK(out == c.expected);
  }
}

TEST_CASE("values: nested jsonb survives storage and re-parses equal") {
  const json original = json::parse(
      R"({"a":{"b":{"c":[1,[2,[3,[4,{"d":"é😀\n\t\"\\"}]]]]}},"n":-1.25e-7,"big":12345678901234})");
  const ColumnType t = ParseDeclaredType("JSONB");
  const SqlValue stored = FromJson(t, original);
  std::string out;
  AppendJson(out, t, ViewOf(stored));
  CHECK(json::parse(out) == original);
  CHECK(Show(FromText(t, out)) == Show(stored));
}

TEST_CASE("values: deeply nested JSON is refused without recursion") {
  const ColumnType jsonb = ParseDeclaredType("JSONB");
  const auto nested_text = [](size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  CHECK(FromTextOutcome("JSONB", nested_text(512)).rfind("text:[[", 0) == 0);
  CHECK(FromTextOutcome("JSONB", nested_text(513)) == "!22P02");
  CHECK(FromTextOutcome("JSONB", std::string(1000000, '[')) == "!22P02");
  CHECK(FromTextOutcome("JSONB", std::string(1000000, '{')) == "!22P02");
  // Brackets inside strings do not count.
  CHECK(FromTextOutcome("JSONB", "[\"" + std::string(2000, '[') + "\"]").rfind("text:", 0) == 0);

  // A parsed value (a request body) nested too deep: built iteratively, checked iteratively.
  const auto nested_value = [](size_t depth) {
    json root = json::array();
    json* cur = &root;
    for (size_t i = 1; i < depth; ++i) {
      cur->push_back(json::array());
      cur = &cur->back();
    }
    return root;
  };
  CHECK(Outcome([&] { return FromJson(jsonb, nested_value(512)); }).rfind("text:[[", 0) == 0);
  CHECK(Outcome([&] { return FromJson(jsonb, nested_value(513)); }) == "!22P02");
  const json deep = nested_value(200000);
  for (const std::string& decl :
       std::initializer_list<std::string>{"JSONB", "TEXT", "INT", "TEXT[]", "UUID"}) {
    INFO("decl = " << decl);
    CHECK(Outcome([&] { return FromJson(ParseDeclaredType(decl), deep); }) == "!22P02");
  }
}

// ---------------------------------------------------------------------------------------------
// Exact error bodies

TEST_CASE("values: refusals carry Postgres' code, message and details") {
  struct Row {
    std::string decl;
    std::string input;
    bool is_json;  // input is a JSON body value, else query-string text
    std::string code;
    std::string message;
    const char* details;  // nullptr = none
  };
  const std::vector<Row> rows = {
      {"INT", "2147483648", true, "22003", R"(value "2147483648" is out of range for type integer)",
       nullptr},
      {"INT", "2147483648 ", false, "22003",
       R"(value "2147483648 " is out of range for type integer)", nullptr},
      {"INT", "1e20", true, "22003", R"(value "1e+20" is out of range for type integer)", nullptr},
      {"BIGINT", "9223372036854775808", false, "22003",
       R"(value "9223372036854775808" is out of range for type bigint)", nullptr},
      {"INT", "1.5", true, "22P02", R"(invalid input syntax for type integer: "1.5")", nullptr},
      {"INT", "null", false, "22P02", R"(invalid input syntax for type integer: "null")", nullptr},
      {"INT", "true", true, "22P02", R"(invalid input syntax for type integer: "true")", nullptr},
      {"INT", R"({"a":1})", true, "22P02", R"(invalid input syntax for type integer: "{"a":1}")",
       nullptr},
      {"DECIMAL(5,2)", "999.995", true, "22003", "numeric field overflow",
       "A field with precision 5, scale 2 must round to an absolute value less than 10^3."},
      {"NUMERIC(3,3)", "1", false, "22003", "numeric field overflow",
       "A field with precision 3, scale 3 must round to an absolute value less than 1."},
      {"DECIMAL(5,2)", "Infinity", false, "22003", "numeric field overflow",
       "A field with precision 5, scale 2 cannot hold an infinite value."},
      {"DECIMAL(5,2)", "abc", false, "22P02", R"(invalid input syntax for type numeric: "abc")",
       nullptr},
      {"NUMERIC", "1e400", false, "22003", "value overflows numeric format", nullptr},
      {"DOUBLE PRECISION", "1e400", false, "22003",
       R"("1e400" is out of range for type double precision)", nullptr},
      {"REAL", "1e400", false, "22003", R"("1e400" is out of range for type real)", nullptr},
      {"REAL", "x", false, "22P02", R"(invalid input syntax for type real: "x")", nullptr},
      {"BOOLEAN", "maybe", false, "22P02", R"(invalid input syntax for type boolean: "maybe")",
       nullptr},
      {"BOOLEAN", "1", true, "22P02", R"(invalid input syntax for type boolean: "1")", nullptr},
      {"UUID", "x", false, "22P02", R"(invalid input syntax for type uuid: "x")", nullptr},
      {"VARCHAR(3)", R"("abcd")", true, "22001", "value too long for type character varying(3)",
       nullptr},
      {"TEXT", R"("\u0000")", true, "22P05", "unsupported Unicode escape sequence",
       "\\u0000 cannot be converted to text."},
      {"JSONB", "x", false, "22P02", "invalid input syntax for type json", nullptr},
      {"JSONB", "[[[", false, "22P02", "invalid input syntax for type json", nullptr},
      {"TEXT[]", "a,b", false, "22P02", R"(malformed array literal: "a,b")",
       R"(Array value must start with "{" or dimension information.)"},
      {"TEXT[]", "{a", false, "22P02", R"(malformed array literal: "{a")",
       "Unexpected end of input."},
      {"TEXT[]", "{a}x", false, "22P02", R"(malformed array literal: "{a}x")",
       "Junk after closing right brace."},
      {"TEXT[]", "{a,,b}", false, "22P02", R"(malformed array literal: "{a,,b}")",
       R"(Unexpected "," character.)"},
      {"TEXT[]", "[1]", true, "22P02", R"(malformed array literal: "[1]")",
       "Array value must be a JSON array of strings."},
      {"TIMESTAMPTZ", "garbage", false, "22007",
       R"(invalid input syntax for type timestamp with time zone: "garbage")", nullptr},
      {"TIMESTAMPTZ", "2023-02-29", false, "22008",
       R"(date/time field value out of range: "2023-02-29")", nullptr},
      {"TIMESTAMPTZ", "2024-01-01T00:00:00+16", false, "22009",
       R"(time zone displacement out of range: "2024-01-01T00:00:00+16")", nullptr},
      {"TIMESTAMPTZ", "5", true, "22007",
       R"(invalid input syntax for type timestamp with time zone: "5")", nullptr},
      {"DATE", "x", false, "22007", R"(invalid input syntax for type date: "x")", nullptr},
      {"DATE", "2024-02-30", false, "22008", R"(date/time field value out of range: "2024-02-30")",
       nullptr},
      {"BYTEA", "\\xabc", false, "22023", "invalid hexadecimal data: odd number of digits",
       nullptr},
      {"BYTEA", "\\xag", false, "22023", R"(invalid hexadecimal digit: "g")", nullptr},
      {"BYTEA", "\\q", false, "22P02", "invalid input syntax for type bytea", nullptr},
  };
  for (const auto& r : rows) {
    INFO("r.decl = " << r.decl);
    INFO("r.input = " << r.input);
    const ColumnType t = ParseDeclaredType(r.decl);
    const auto e = Caught([&] {
      if (r.is_json)
        FromJson(t, json::parse(r.input));
      else
        FromText(t, r.input);
    });
    REQUIRE(e.has_value());
    CHECK(e->status() == 400);
    CHECK(e->code() == r.code);
    CHECK(e->message() == r.message);
    if (r.details) {
      CHECK(e->details().value_or("<none>") == std::string(r.details));
    } else {
      CHECK_FALSE(e->details().has_value());
    }
  }
}

}  // namespace ib::storage
