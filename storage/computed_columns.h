// Columns computed when read instead of stored: every one is declared here, with the SQL that
// computes it from the stored row. A read names the table through Table::read_source (a
// subquery that adds these columns under their own names), so select=, filters, order and
// embeds see them like any column; a write that names one is refused (Postgres's 428C9 for a
// generated column).
#pragma once

#include <string_view>
#include <vector>

namespace ib::storage {

struct ComputedColumn {
  std::string_view table;
  std::string_view column;
  // An SQL expression over the stored row, which it names `stored`.
  std::string_view sql;
  // A cheaper sort key over the stored row that orders rows exactly as the column does, so
  // `order=` need not compute the column for every row (and an index can serve it); empty if
  // none. `order_descends`: ascending by the column is descending by the key.
  std::string_view order_key = {};
  bool order_descends = false;
};

// The declaration of `table`.`column`, or nullptr when that column is stored.
const ComputedColumn* FindComputedColumn(std::string_view table, std::string_view column);

const std::vector<ComputedColumn>& ComputedColumns();

}  // namespace ib::storage
