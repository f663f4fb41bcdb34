// The computed columns (storage/computed_columns.h) of one row given by its stored values: what
// a read through Table::read_source would show for them now. A changed row reaches Realtime
// with its stored values only; this fills in the rest, so the record it sends is the row REST
// would render. Runs SQL on the caller's connection.
#pragma once

#include "storage/catalog.h"
#include "storage/change_log.h"

namespace ib::storage {

class Connection;

// `row` with each computed column of `table` set to its value (unchanged when it has none).
ChangeRow WithComputedColumns(Connection& conn, const Table& table, ChangeRow row);

}  // namespace ib::storage
