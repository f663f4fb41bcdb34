#include "storage/copied_rows.h"

#include "storage/error.h"

namespace ib::storage {

SqlValueView CopiedRow::operator[](int i) const {
  const CopiedRows::Cell& cell = owner_.cells_[first_ + static_cast<size_t>(i)];
  SqlValueView v;
  v.type = cell.type;
  switch (cell.type) {
    case SqlValueView::Type::kInteger:
      v.integer = cell.integer;
      break;
    case SqlValueView::Type::kReal:
      v.real = cell.real;
      break;
    case SqlValueView::Type::kText:
    case SqlValueView::Type::kBlob:
      v.text =
          std::string_view(owner_.bytes_).substr(static_cast<size_t>(cell.integer), cell.length);
      break;
    case SqlValueView::Type::kNull:
      break;
  }
  return v;
}

void CopiedRows::Append(const Row& row) {
  const int width = row.size();
  if (rows_ > 0 && width != width_) throw Error::Internal("copied rows of different widths");
  width_ = width;
  ++rows_;
  for (int i = 0; i < width; ++i) {
    SqlValueView v = row[i];
    Cell cell;
    cell.type = v.type;
    switch (v.type) {
      case SqlValueView::Type::kInteger:
        cell.integer = v.integer;
        break;
      case SqlValueView::Type::kReal:
        cell.real = v.real;
        break;
      case SqlValueView::Type::kText:
      case SqlValueView::Type::kBlob:
        cell.integer = static_cast<int64_t>(bytes_.size());
        cell.length = v.text.size();
        bytes_.append(v.text);
        break;
      case SqlValueView::Type::kNull:
        break;
    }
    cells_.push_back(cell);
  }
}

CopiedRows CopyRows(Connection& conn, const SqlQuery& query) {
  CopiedRows rows;
  Executor(conn).Run(query, [&](const Row& row) { rows.Append(row); });
  return rows;
}

}  // namespace ib::storage
