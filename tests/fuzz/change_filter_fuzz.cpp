// libFuzzer target: a postgres_changes `filter` (server/realtime/change_filter.h) parsed against
// a table of the real schema, then matched against rows of that table (typed values in every
// column, all NULL, the key alone, and values of the wrong storage class). Byte 0 picks the
// table, the rest is the filter. Properties: Parse never throws; a refusal is a non-empty message
// of at most 200 bytes that is valid UTF-8 (it travels in a JSON frame); a parsed filter keeps
// the bounds (conditions, `in` values) and its copy matches every row as it does.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/realtime/change_filter.h"
#include "storage/catalog.h"
#include "storage/db.h"
#include "storage/migrator.h"
#include "storage/utf8.h"
#include "storage/values.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ib::realtime::ChangeFilter;
using ib::realtime::FilterError;
using ib::storage::ChangeRow;
using ib::storage::SqlValue;
using ib::storage::ValueKind;

const char* Sample(ValueKind kind) {
  switch (kind) {
    case ValueKind::kUuid:
      return "11111111-2222-3333-4444-555555555555";
    case ValueKind::kInt:
    case ValueKind::kBigInt:
      return "95";
    case ValueKind::kDecimal:
    case ValueKind::kReal:
      return "0.5";  // fits every decimal(p,s) of the schema
    case ValueKind::kBool:
      return "true";
    case ValueKind::kJsonb:
      return R"({"a":[1,"b"]})";
    case ValueKind::kTimestamptz:
      return "2024-05-01T12:00:00.5+02:00";
    case ValueKind::kDate:
      return "2024-05-01";
    case ValueKind::kTextArray:
      return "{clear,\"b c\"}";
    case ValueKind::kBytea:
      return "\\x00ff";
    default:
      return "medium";
  }
}

struct Fixture {
  std::unique_ptr<ib::storage::Db> db;
  std::shared_ptr<const ib::storage::Catalog> catalog;
  std::vector<const ib::storage::Table*> tables;
  std::vector<std::vector<ChangeRow>> rows;  // per table
};

std::vector<ChangeRow> RowsOf(const ib::storage::Table& table) {
  ChangeRow typed;
  ChangeRow nulls;
  ChangeRow key;
  ChangeRow wrong;
  for (const auto& column : table.columns) {
    typed[column.name] = ib::storage::FromText(column.type, Sample(column.type.kind));
    nulls[column.name] = std::monostate{};
    if (column.primary_key) key[column.name] = typed[column.name];
    const bool text_stored = std::holds_alternative<std::string>(typed[column.name]);
    wrong[column.name] = text_stored ? SqlValue(std::numeric_limits<double>::quiet_NaN())
                                     : SqlValue(std::string("x"));
  }
  return {typed, nulls, key, wrong, ChangeRow{}};
}

Fixture MakeFixture() {
  Fixture f;
  f.db = std::make_unique<ib::storage::Db>(":memory:");
  {
    ib::storage::Db::WriteLease lease(*f.db);
    ib::storage::Migrate(lease.conn().db(), ib::storage::EmbeddedMigrations());
    f.catalog = ib::storage::Catalog::Load(lease.conn());
  }
  for (const auto& table : f.catalog->tables()) {
    if (!table->exposed) continue;
    f.tables.push_back(table.get());
    f.rows.push_back(RowsOf(*table));
  }
  return f;
}

void CheckRefusal(const FilterError& error) {
  const std::string& m = error.message;
  ib::fuzz::Check(!m.empty(), "empty refusal");
  ib::fuzz::Check(m.size() <= 200, "refusal longer than 200 bytes", m);
  ib::fuzz::Check(ib::storage::ToValidUtf8(m) == m, "refusal is not valid UTF-8", m);
  (void)nlohmann::json(m).dump();  // throws (and so aborts) on invalid UTF-8
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const Fixture f = MakeFixture();
  const size_t pick = data[0] % f.tables.size();
  const std::string_view text = ib::fuzz::AsText(data + 1, size - 1);
  auto result = ChangeFilter::Parse(text, *f.tables[pick]);
  if (const auto* error = std::get_if<FilterError>(&result)) {
    CheckRefusal(*error);
    return 0;
  }
  const ChangeFilter& filter = std::get<ChangeFilter>(result);
  ib::fuzz::Check(filter.conditions().size() <= ChangeFilter::kMaxConditions,
                  "too many conditions kept");
  for (const auto& c : filter.conditions()) {
    ib::fuzz::Check(c.values.size() <= ChangeFilter::kMaxInValues, "too many in values kept");
    ib::fuzz::Check(c.type != nullptr, "condition without a column type", c.column);
  }
  const ChangeFilter copy = filter;
  for (const ChangeRow& row : f.rows[pick]) {
    ib::fuzz::Check(filter.Matches(row) == copy.Matches(row), "copy matches differently");
  }
  return 0;
}
