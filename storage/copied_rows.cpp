#include "storage/copied_rows.h"

#include "storage/error.h"

namespace ib::storage {

SqlValueView CopiedRow::operator[](int i) const {
  const CopiedRows::Cell& cell = owner_.cells_[first_ + static_cast<size_t>(i)];
  SqlValueView v;
  v.type = cell.type;
  v.integer = cell.integer;
  v.real = cell.real;
  if (cell.type == SqlValueView::Type::kText || cell.type == SqlValueView::Type::kBlob) {
    v.text = std::string_view(owner_.bytes_).substr(cell.offset, cell.length);
  }
  return v;
}

void CopiedRows::Append(const Row& row) {
  const int width = row.size();
  if (rows_ > 0 && width != width_) throw Error::Internal("copied rows of different widths");
  width_ = width;
  ++rows_;
  for (int i = 0; i < width; ++i) {
    const SqlValueView v = row[i];
    Cell cell{v.type, v.integer, v.real, bytes_.size(), v.text.size()};
    if (!v.text.empty()) bytes_.append(v.text);  // text and blobs only
    cells_.push_back(cell);
  }
}

CopiedRows CopyRows(Connection& conn, const SqlQuery& query) {
  CopiedRows rows;
  Executor(conn).Run(query, [&](const Row& row) { rows.Append(row); });
  return rows;
}

}  // namespace ib::storage
