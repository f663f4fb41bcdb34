#include "server/realtime/change_payload.h"

#include "storage/json_text.h"
#include "storage/values.h"

namespace ib::realtime {
namespace {

using storage::ValueKind;

void AppendRow(std::string& out, const storage::Table& table, const storage::ChangeRow& row,
               bool key_only) {
  out += '{';
  bool first = true;
  for (const storage::Column& c : table.columns) {
    if (key_only && !c.primary_key) continue;
    out += first ? "" : ",";
    first = false;
    storage::AppendJsonString(out, c.name);
    out += ':';
    auto it = row.find(c.name);
    if (it == row.end()) {
      out += "null";
    } else {
      storage::AppendJson(out, c.type, storage::ViewOf(it->second));
    }
  }
  out += '}';
}

}  // namespace

std::string PgTypeName(const storage::ColumnType& type) {
  switch (type.kind) {
    case ValueKind::kText:
      return "text";
    case ValueKind::kVarchar:
      return "varchar";
    case ValueKind::kUuid:
      return "uuid";
    case ValueKind::kInt:
      return "int4";
    case ValueKind::kBigInt:
      return "int8";
    case ValueKind::kDecimal:
      return "numeric";
    case ValueKind::kReal:
      return "float8";
    case ValueKind::kBool:
      return "bool";
    case ValueKind::kJsonb:
      return "jsonb";
    case ValueKind::kTimestamptz:
      return "timestamptz";
    case ValueKind::kDate:
      return "date";
    case ValueKind::kTextArray:
      return "_text";
    case ValueKind::kBytea:
      return "bytea";
  }
  return "text";
}

std::string CommitTimestamp(int64_t unix_micros) {
  // The codec's timestamptz text ("...T12:00:00.124000+00:00") cut to milliseconds.
  const std::string text = storage::FormatTimestamptz(unix_micros);
  return text.substr(0, text.find('.') + 4) + "Z";
}

std::string RenderChangeData(const storage::Table& table, const storage::ChangeRecord& record,
                             const storage::ChangeRow* new_row) {
  std::string out = "{\"schema\":\"public\",\"table\":";
  storage::AppendJsonString(out, table.name);
  out += ",\"commit_timestamp\":\"" + CommitTimestamp(record.commit_micros) + "\",\"type\":\"";
  out += storage::ChangeOpName(record.op);
  out += "\",\"columns\":[";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    out += i == 0 ? "{\"name\":" : ",{\"name\":";
    storage::AppendJsonString(out, table.columns[i].name);
    out += ",\"type\":\"" + PgTypeName(table.columns[i].type) + "\"}";
  }
  out += ']';
  if (record.op != storage::ChangeOp::kDelete && new_row != nullptr) {
    out += ",\"record\":";
    AppendRow(out, table, *new_row, false);
  }
  if (record.op != storage::ChangeOp::kInsert) {
    out += ",\"old_record\":";
    AppendRow(out, table, record.key, true);
  }
  out += ",\"errors\":null}";
  return out;
}

}  // namespace ib::realtime
