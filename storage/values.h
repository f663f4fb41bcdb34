// The value codec: converts between the wire (JSON values, query-string text) and SQLite
// storage, driven by each column's declared Postgres type, rendering what PostgREST renders
// for that type (docs/architecture.md). Pure functions: no database, no clock, no globals.
// Thread-safe.
//
// Storage forms: uuid -> lowercase TEXT; timestamptz -> TEXT "YYYY-MM-DDTHH:MM:SS.ffffff+00:00"
// (UTC, so text order is time order); date -> TEXT "YYYY-MM-DD"; int/bigint -> INTEGER;
// decimal(p,s) -> REAL rounded to s places; bool -> INTEGER 0/1; jsonb -> compact JSON TEXT;
// text[] -> JSON array TEXT; text/varchar -> TEXT.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "storage/sql_value.h"

namespace ib::storage {

enum class ValueKind {
  kText,         // text
  kVarchar,      // varchar(n) / character varying(n); length = n (0 = unbounded)
  kUuid,         // uuid
  kInt,          // int / integer / int4 (32-bit)
  kBigInt,       // bigint / int8
  kDecimal,      // decimal(p,s) / numeric(p,s); precision/scale (0/-1 = unconstrained)
  kReal,         // real / double precision / float8
  kBool,         // bool / boolean
  kJsonb,        // jsonb / json
  kTimestamptz,  // timestamptz / timestamp with time zone
  kDate,         // date
  kTextArray,    // text[]
  kBytea,        // bytea / blob
};

struct ColumnType {
  ValueKind kind = ValueKind::kText;
  int length = 0;        // varchar(n)
  int precision = 0;     // decimal(p,s); 0 = unconstrained
  int scale = -1;        // decimal(p,s); -1 = unconstrained
  std::string declared;  // as written in the schema, e.g. "DECIMAL(5,2)"

  // The Postgres type name used in error messages ("integer", "uuid", "numeric", ...).
  std::string PgName() const;
};

// Parses a declared SQLite column type written with Postgres names ("UUID", "VARCHAR(255)",
// "DECIMAL(5,2)", "TEXT[]", "TIMESTAMPTZ", "INT", ...). Case-insensitive. Unknown -> kText.
ColumnType ParseDeclaredType(std::string_view declared);

// JSON body value -> storage value for a column. JSON null -> NULL (not-null is checked by the
// caller, which knows the table). Throws Error with the Postgres SQLSTATE on bad input:
// 22P02 (bad uuid/int/bool/json shape), 22007 (bad timestamp/date), 22008 (field out of range),
// 22003 (numeric/int out of range), 22001 (varchar too long).
SqlValue FromJson(const ColumnType& type, const nlohmann::json& value);

// Query-string text (filter operands, RPC GET args) -> storage value, as Postgres would cast
// the text literal to the column type. Same errors as FromJson. "null" is the text "null".
SqlValue FromText(const ColumnType& type, std::string_view text);

// Appends the JSON rendering of a stored value: numbers stay numbers (decimal with `scale`
// digits), bool true/false, jsonb nested, text[] an array, NULL null.
void AppendJson(std::string& out, const ColumnType& type, const SqlValueView& value);

// Renders a stored value in Postgres' text form, as the type's output function would; used for
// CSV cells (PostgREST's CSV is the row's text form) and ->> style text. bool t/f; timestamptz
// "2024-05-01 12:00:00.5+00" (UTC, fraction without trailing zeros, none when zero); text[]
// {a,"b c",NULL} (array_out quoting); numbers as AppendJson (decimal with `scale` digits) but
// non-finite reals as Infinity/-Infinity/NaN; jsonb its compact JSON text (jsonb_out would add a
// space after ':' and ','); bytea \x hex; NULL "". Text a kind cannot read is returned as stored.
std::string ToText(const ColumnType& type, const SqlValueView& value);

// A stored value as Postgres' `::text` cast writes it (select=col::text): ToText, except a
// bool is "true"/"false" (the cast's words, where boolout says t/f) and jsonb is spaced as
// jsonb_out writes it ({"a": 1, "b": [1, 2]}). NULL "" (the caller renders null).
std::string CastToText(const ColumnType& type, const SqlValueView& value);

// Timestamps: parses ISO-8601 / Postgres timestamptz input ("2024-05-01T12:00:00Z",
// "2024-05-01 12:00:00.5+05:30", "2024-05-01") to the canonical UTC storage text.
// Throws 22007 / 22008.
std::string NormalizeTimestamptz(std::string_view text);
// Validates and normalises a date ("2024-02-29"); throws 22007 / 22008.
std::string NormalizeDate(std::string_view text);
// Canonical UTC text for a unix time in microseconds.
std::string FormatTimestamptz(int64_t unix_micros);
// Microseconds since the epoch for canonical storage text; throws 22007 if not canonical.
int64_t ParseCanonicalTimestamptz(std::string_view canonical);

}  // namespace ib::storage
