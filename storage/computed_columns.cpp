#include "storage/computed_columns.h"

namespace ib::storage {

const std::vector<ComputedColumn>& ComputedColumns() {
  static const std::vector<ComputedColumn> kColumns = {
      // leaderboard.rank = 1 + the number of rows with a strictly greater total_score (ties
      // share a rank; null counts as 0). Stored, every completion would rewrite the rank of
      // everyone it passes; computed, it is three bounded range sums over the score histogram
      // of migration 0007 (levels of 1, 256 and 65,536 scores): the scores above this one in
      // its 256-block, the 256-blocks above its own in its 65,536-block, and every 65,536-block
      // above that. `>>` rounds down and `x | 255` is the last value of x's 256-block.
      {"leaderboard", "rank",
       "(1 + COALESCE((SELECT SUM(rows_in) FROM ib_score_histogram WHERE level = 0 "
       "AND bucket > COALESCE(stored.total_score, 0) "
       "AND bucket <= (COALESCE(stored.total_score, 0) | 255)), 0) "
       "+ COALESCE((SELECT SUM(rows_in) FROM ib_score_histogram WHERE level = 1 "
       "AND bucket > (COALESCE(stored.total_score, 0) >> 8) "
       "AND bucket <= ((COALESCE(stored.total_score, 0) >> 8) | 255)), 0) "
       "+ COALESCE((SELECT SUM(rows_in) FROM ib_score_histogram WHERE level = 2 "
       "AND bucket > (COALESCE(stored.total_score, 0) >> 16)), 0))",
       // Rank ascending is total_score descending (null as 0): leaderboard_ranking_idx.
       "COALESCE(stored.total_score, 0)", true},
  };
  return kColumns;
}

const ComputedColumn* FindComputedColumn(std::string_view table, std::string_view column) {
  for (const auto& computed : ComputedColumns()) {
    if (computed.table == table && computed.column == column) return &computed;
  }
  return nullptr;
}

}  // namespace ib::storage
