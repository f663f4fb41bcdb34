// Tests for ib_json_value (storage/sql_functions.cpp), through which embedded rows are built:
// inside SQLite's json_object() and json_group_array() each value must come out exactly as
// storage::AppendJson writes it for a top-level row, for every kind and storage class.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "storage/db.h"
#include "storage/sqlite_value_view.h"
#include "storage/values.h"

namespace ib::storage {
namespace {

class MemoryDb {
 public:
  MemoryDb() {
    REQUIRE(sqlite3_open(":memory:", &db_) == SQLITE_OK);
    RegisterSqlFunctions(db_);
  }
  ~MemoryDb() { sqlite3_close(db_); }
  MemoryDb(const MemoryDb&) = delete;
  MemoryDb& operator=(const MemoryDb&) = delete;

  // The one text column of the statement's one row, `value` bound to every parameter.
  std::string Text(const std::string& sql, const SqlValue& value, int kind, int scale) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    Bind(stmt, 1, value);
    sqlite3_bind_int(stmt, 2, kind);
    sqlite3_bind_int(stmt, 3, scale);
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      out = text ? text : "<null>";
    } else {
      out = std::string("<error> ") + sqlite3_errmsg(db_);
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  static void Bind(sqlite3_stmt* stmt, int i, const SqlValue& v) {
    if (const auto* n = std::get_if<int64_t>(&v)) {
      sqlite3_bind_int64(stmt, i, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      sqlite3_bind_double(stmt, i, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      sqlite3_bind_text(stmt, i, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
    } else if (const auto* b = std::get_if<Blob>(&v)) {
      sqlite3_bind_blob(stmt, i, b->bytes.data(), static_cast<int>(b->bytes.size()),
                        SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(stmt, i);
    }
  }
  sqlite3* db_ = nullptr;
};

std::string Rendered(const ColumnType& type, const SqlValue& value) {
  std::string out;
  AppendJson(out, type, ViewOf(value));
  return out;
}

TEST_CASE("ib_json_value: json_object and json_group_array embed AppendJson's text as it is") {
  struct Case {
    const char* declared;
    std::vector<SqlValue> values;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Case> cases = {
      {"JSONB",
       {std::string(R"({"\u00e9":"\u0001\"q\\","n":[1.5,-0.0,1e300,12345678901234567890],"o":{}})"),
        std::string("[]"), std::string("\"text\""), std::string(""), int64_t{5},
        0.30000000000000004, 1e300, SqlValue{}}},
      {"TEXT[]",
       {std::string(R"(["a","b c",null])"), std::string("{x,\"y z\",NULL}"),
        std::string("not an array"), std::string("[]")}},
      {"DECIMAL(5,2)", {87.5, int64_t{3}, 0.125, std::string("12.3"), std::string("abc"), nan}},
      {"NUMERIC", {87.5, int64_t{3}, 0.1}},
      {"DOUBLE PRECISION", {0.30000000000000004, -0.0, 1e-7, int64_t{7}, nan, INFINITY}},
      {"BOOLEAN", {int64_t{1}, int64_t{0}, std::string("yes"), 2.5}},
      {"TIMESTAMPTZ",
       {std::string("2024-05-01T12:00:00.000000+00:00"), std::string("2024-05-01 12:00:00"),
        std::string("garbage"), int64_t{9}}},
      {"BYTEA", {Blob{std::string("\x00\xff\x10", 3)}, std::string("ab")}},
      {"TEXT", {std::string("plain \"quoted\" \x01 \xc3\xa9")}},
      {"UUID", {std::string("6f1c3f4e-6a8e-4f53-9a3c-0d8f7e6b5a41")}},
  };
  MemoryDb db;
  for (const auto& c : cases) {
    const ColumnType type = ParseDeclaredType(c.declared);
    const int kind = static_cast<int>(type.kind);
    for (const auto& value : c.values) {
      const std::string expected = Rendered(type, value);
      CAPTURE(c.declared);
      CAPTURE(expected);
      CHECK(db.Text("SELECT json_object('v', ib_json_value(?1, ?2, ?3))", value, kind,
                    type.scale) == "{\"v\":" + expected + "}");
      CHECK(db.Text("SELECT json_group_array(ib_json_value(?1, ?2, ?3))", value, kind,
                    type.scale) == "[" + expected + "]");
    }
  }
}

TEST_CASE("ib_text_value: CastToText's text, a plain string to json_object") {
  MemoryDb db;
  const ColumnType jsonb = ParseDeclaredType("JSONB");
  const SqlValue stored = std::string(R"({"a":[1,2]})");
  CHECK(db.Text("SELECT ib_text_value(?1, ?2, ?3)", stored, static_cast<int>(jsonb.kind), -1) ==
        CastToText(jsonb, ViewOf(stored)));
  CHECK(db.Text("SELECT json_object('v', ib_text_value(?1, ?2, ?3))", stored,
                static_cast<int>(jsonb.kind), -1) == R"({"v":"{\"a\": [1, 2]}"})");
  CHECK(db.Text("SELECT ib_text_value(?1, ?2, ?3)", SqlValue{}, static_cast<int>(jsonb.kind), -1) ==
        "<null>");
  CHECK(db.Text("SELECT ib_text_value(?1, ?2, ?3)", stored, 99, -1).rfind("<error>", 0) == 0);
}

TEST_CASE("ib_json_value: NULL stays NULL, an unknown kind is an error") {
  MemoryDb db;
  CHECK(db.Text("SELECT json_object('v', ib_json_value(?1, ?2, ?3))", SqlValue{},
                static_cast<int>(ValueKind::kJsonb), -1) == R"({"v":null})");
  CHECK(db.Text("SELECT ib_json_value(?1, ?2, ?3)", std::string("x"), 99, -1).rfind("<error>", 0) ==
        0);
  CHECK(db.Text("SELECT ib_json_value(?1, ?2, ?3)", std::string("x"), -1, -1).rfind("<error>", 0) ==
        0);
}

}  // namespace
}  // namespace ib::storage
