// The `data` object of a postgres_changes frame for one committed row change, rendered once
// and shared by every channel that receives it: schema, table, commit_timestamp (UTC,
// milliseconds, `Z`), type, columns (every column in declaration order with its Postgres type
// name), record (the whole new row, values as REST renders them) and old_record (the primary
// key only, as Postgres sends with REPLICA IDENTITY DEFAULT). Pure.
#pragma once

#include <string>

#include "storage/catalog.h"
#include "storage/change_log.h"

namespace ib::realtime {

// The Postgres type name Realtime reports for a column ("uuid", "int4", "_text", ...).
std::string PgTypeName(const storage::ColumnType& type);

// "2024-05-01T12:00:00.124Z" for a commit time in Unix microseconds.
std::string CommitTimestamp(int64_t unix_micros);

// `new_row`: the record's new row with its computed columns filled in (insert and update).
std::string RenderChangeData(const storage::Table& table, const storage::ChangeRecord& record,
                             const storage::ChangeRow* new_row);

}  // namespace ib::realtime
