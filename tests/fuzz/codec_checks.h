// Shared by the fuzz targets that reach the value codec (storage/values.h): every column type
// the schema declares, and the round trip every stored value must survive. What the codec
// renders (AppendJson for bodies, ToText for CSV and text comparisons) must read back as the same
// stored value, or a row read and written back unchanged would change or be refused.
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "storage/values.h"
#include "tests/fuzz/fuzz_support.h"

namespace ib::fuzz {

inline const std::vector<storage::ColumnType>& SchemaColumnTypes() {
  static const std::vector<storage::ColumnType> types = [] {
    std::vector<storage::ColumnType> out;
    for (const char* declared :
         {"TEXT", "VARCHAR(20)", "UUID", "INTEGER", "BIGINT", "DECIMAL(5,2)", "DECIMAL(3,2)",
          "NUMERIC", "REAL", "BOOLEAN", "JSONB", "TIMESTAMPTZ", "DATE", "TEXT[]", "BYTEA"}) {
      out.push_back(storage::ParseDeclaredType(declared));
    }
    return out;
  }();
  return types;
}

inline bool SameStored(const storage::SqlValue& a, const storage::SqlValue& b) {
  const auto* x = std::get_if<double>(&a);
  const auto* y = std::get_if<double>(&b);
  if (x && y && std::isnan(*x) && std::isnan(*y)) return true;
  return a == b;
}

inline std::string Describe(const storage::ColumnType& type, const storage::SqlValue& stored) {
  std::string out = type.declared + ": ";
  storage::AppendJson(out, type, storage::ViewOf(stored));
  return out;
}

// `stored` came out of FromJson or FromText for `type`: its JSON rendering must read back through
// FromJson, and its text form through FromText, as the same value.
inline void CheckRoundTrip(const storage::ColumnType& type, const storage::SqlValue& stored) {
  std::string rendered;
  storage::AppendJson(rendered, type, storage::ViewOf(stored));
  auto reparsed = nlohmann::json::parse(rendered, nullptr, false);
  Check(!reparsed.is_discarded(), "AppendJson rendered invalid JSON", Describe(type, stored));
  // A jsonb holding JSON null renders as null, as SQL NULL does (PostgREST alike): the one value
  // whose JSON rendering is ambiguous by design.
  if (type.kind == storage::ValueKind::kJsonb && reparsed.is_null()) return;
  try {
    Check(SameStored(storage::FromJson(type, reparsed), stored),
          "JSON rendering reads back as another value", Describe(type, stored));
  } catch (const storage::Error& e) {
    Fail("JSON rendering is refused on the way back in", Describe(type, stored) + " " + e.ToJson());
  }
  if (std::holds_alternative<std::monostate>(stored)) return;  // NULL has no text form
  std::string text = storage::ToText(type, storage::ViewOf(stored));
  try {
    Check(SameStored(storage::FromText(type, text), stored),
          "text form reads back as another value", Describe(type, stored) + " text " + text);
  } catch (const storage::Error& e) {
    Fail("text form is refused on the way back in", Describe(type, stored) + " " + e.ToJson());
  }
}

}  // namespace ib::fuzz
