// CopiedRows: result rows copied out of a statement so that they outlive it. A write that
// answers with its rows (Prefer: return=representation) copies them while it holds the
// writer and renders them after its batch has committed, so the JSON text is written in
// parallel with the next batch instead of inside it (issue 11: only serial work on the
// writer). All text and blob bytes of all rows share one buffer: a copy costs a memcpy per
// value, not an allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/executor.h"
#include "storage/sql_value.h"

namespace ib::storage {

class CopiedRows;

// One copied row, read like a storage::Row: values by position, as views into the copy
// (valid while the CopiedRows lives and is not appended to).
class CopiedRow {
 public:
  int size() const { return width_; }
  SqlValueView operator[](int i) const;

 private:
  friend class CopiedRows;
  CopiedRow(const CopiedRows& rows, size_t first, int width)
      : owner_(rows), first_(first), width_(width) {}
  const CopiedRows& owner_;
  size_t first_;
  int width_;
};

class CopiedRows {
 public:
  // Copies every column of `row`; all rows appended must have the same width.
  void Append(const Row& row);
  size_t size() const { return rows_; }
  bool empty() const { return size() == 0; }
  CopiedRow operator[](size_t i) const {
    return CopiedRow(*this, i * static_cast<size_t>(width_), width_);
  }

 private:
  friend class CopiedRow;
  struct Cell {  // a SqlValueView with its bytes as a place in bytes_
    SqlValueView::Type type = SqlValueView::Type::kNull;
    int64_t integer = 0;
    double real = 0;
    size_t offset = 0;  // kText / kBlob
    size_t length = 0;
  };
  std::vector<Cell> cells_;
  std::string bytes_;
  int width_ = 0;
  size_t rows_ = 0;
};

// Runs `query` on `conn` and copies every row it yields.
CopiedRows CopyRows(Connection& conn, const SqlQuery& query);

}  // namespace ib::storage
