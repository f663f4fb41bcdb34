#include "server/rest/renderer.h"

#include <utility>

#include "storage/json_text.h"
#include "storage/values.h"

namespace ib::rest {

using storage::SqlValueView;

namespace {

void AppendValue(std::string& out, const SqlValueView& v, const RenderColumn& col) {
  switch (col.kind) {
    case RenderColumn::Kind::kValue:
      storage::AppendJson(out, *col.type, v);
      return;
    case RenderColumn::Kind::kRawJson:
      // Embeds and `->` paths arrive as JSON text built by SQLite; a scalar JSON number may
      // come back as an INTEGER/REAL value.
      if (v.is_null()) {
        out += "null";
      } else if (v.type == SqlValueView::Type::kInteger) {
        storage::AppendInt(out, v.integer);
      } else if (v.type == SqlValueView::Type::kReal) {
        storage::AppendDecimal(out, v.real, -1);
      } else {
        out.append(v.text);
      }
      return;
    case RenderColumn::Kind::kText:
      if (v.is_null()) {
        out += "null";
      } else if (v.type == SqlValueView::Type::kInteger) {
        out += '"';
        storage::AppendInt(out, v.integer);
        out += '"';
      } else if (v.type == SqlValueView::Type::kReal) {
        out += '"';
        storage::AppendDecimal(out, v.real, -1);
        out += '"';
      } else {
        storage::AppendJsonString(out, v.text);
      }
      return;
  }
}

void AppendCsvCell(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::vector<std::string> MemberNames(const std::vector<RenderColumn>& columns) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const RenderColumn& column : columns) {
    std::string name;
    storage::AppendJsonString(name, column.key);
    name += ':';
    names.push_back(std::move(name));
  }
  return names;
}

template <class RowT>
void AppendRowObject(std::string& out, const RowT& row, const std::vector<RenderColumn>& columns,
                     const std::vector<std::string>& member_names, bool strip_nulls) {
  out += '{';
  bool first = true;
  for (size_t i = 0; i < columns.size(); ++i) {
    auto value = row[static_cast<int>(i)];
    if (strip_nulls && value.is_null()) continue;
    if (!first) out += ',';
    first = false;
    out += member_names[i];
    AppendValue(out, value, columns[i]);
  }
  out += '}';
}

template <class RowT>
void AppendRowObject(std::string& out, const RowT& row, const std::vector<RenderColumn>& columns,
                     bool strip_nulls) {
  AppendRowObject(out, row, columns, MemberNames(columns), strip_nulls);
}

void AppendCsvHeader(std::string& out, const std::vector<RenderColumn>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ',';
    AppendCsvCell(out, columns[i].key);
  }
  out += '\n';
}

template <class RowT>
void AppendCsvRow(std::string& out, const RowT& row, const std::vector<RenderColumn>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ',';
    auto v = row[static_cast<int>(i)];
    if (v.is_null()) continue;  // NULL is an empty cell
    if (columns[i].kind == RenderColumn::Kind::kValue) {
      AppendCsvCell(out, storage::ToText(*columns[i].type, v));
    } else if (v.type == SqlValueView::Type::kInteger) {
      AppendCsvCell(out, std::to_string(v.integer));
    } else {
      AppendCsvCell(out, std::string(v.text));
    }
  }
  out += '\n';
}

template void AppendRowObject(std::string&, const storage::Row&, const std::vector<RenderColumn>&,
                              bool);
template void AppendRowObject(std::string&, const storage::CopiedRow&,
                              const std::vector<RenderColumn>&, bool);
template void AppendRowObject(std::string&, const storage::Row&, const std::vector<RenderColumn>&,
                              const std::vector<std::string>&, bool);
template void AppendRowObject(std::string&, const storage::CopiedRow&,
                              const std::vector<RenderColumn>&, const std::vector<std::string>&,
                              bool);
template void AppendCsvRow(std::string&, const storage::Row&, const std::vector<RenderColumn>&);
template void AppendCsvRow(std::string&, const storage::CopiedRow&,
                           const std::vector<RenderColumn>&);

std::string ContentRange(int64_t offset, int64_t rows, std::optional<int64_t> total) {
  std::string out;
  if (rows <= 0) {
    out = "*";
  } else {
    out = std::to_string(offset) + "-" + std::to_string(offset + rows - 1);
  }
  out += "/";
  out += total ? std::to_string(*total) : "*";
  return out;
}

}  // namespace ib::rest
