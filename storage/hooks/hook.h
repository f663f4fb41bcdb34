// Hooks: the port of the schema's Postgres triggers. A hook is a C++ function bound to a
// table event (insert/update/delete, before/after) in hooks/registry.cpp. It runs inside the
// transaction of the write that fired it, through the same RowWriter, so its own writes fire
// their hooks too, and throwing an Error refuses the whole request. BEFORE hooks may change
// the row being written; AFTER hooks see the row as stored. Effects outside the database
// belong in Transaction::AfterCommit.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "storage/principal.h"
#include "storage/sql_value.h"

namespace ib::storage {

class Catalog;
class Connection;
class RowWriter;

namespace hooks {

enum class Op { kInsert, kUpdate, kDelete };
enum class Timing { kBefore, kAfter };

// Column name -> value, as stored (the codec's storage forms).
using RowData = std::map<std::string, SqlValue, std::less<>>;

struct HookContext {
  RowWriter& writer;     // write through this, so nested writes fire their hooks
  const Principal& who;  // the caller (hooks act with the service's rights regardless)
  int64_t now_micros;    // the request's clock: one instant for the whole transaction
};

// The row a hook sees. Insert: `row` = values to write (before) / as stored (after).
// Update: `old_row` = stored before, `row` = the changed columns (before) / the whole new row
// (after). Delete: `old_row` = the row removed; `row` empty.
struct HookRow {
  std::string_view table;
  int64_t rowid = 0;
  RowData old_row;
  RowData row;
};

using HookFn = void (*)(HookContext& ctx, HookRow& row);

// What a BEFORE hook looks at: the rows (an update's or delete's old_row), or only the values
// it may add to. The writer reads the old row only when a hook looks at it; AFTER hooks are
// always given the rows.
enum class Sees { kRows, kChangesOnly };

// The columns a hook reads from the stored rows it is given (old_row, and row after the
// write). The writer reads only the columns some hook of the event reads: a session row's
// JSON columns were copied twice per completion for hooks that look at five small ones.
// Empty: every column.
using Reads = std::vector<std::string_view>;

struct Hook {
  std::string_view name;  // the Postgres trigger/function it ports
  std::string_view table;
  Op op;
  Timing timing;
  HookFn fn;
  Sees sees = Sees::kRows;
  Reads reads = {};
};

// Every hook of the project, in firing order: storage/hooks/registry.cpp.
const std::vector<Hook>& AllHooks();

// Runs every hook registered for (table, op, timing), in registry order.
void Fire(HookContext& ctx, Op op, Timing timing, HookRow& row);
// The hooks registered for (table, op, timing): whether there are any, whether any of them
// looks at the rows (Sees::kRows), and which columns of those rows they read. A write reads
// rows only for hooks that look at them, and only the columns they read.
struct EventHooks {
  bool any = false;
  bool see_rows = false;
  bool every_column = false;  // a hook that looks at the rows reads them whole
  Reads columns;              // otherwise the union of their reads, in registry order
};
EventHooks HooksOn(std::string_view table, Op op, Timing timing);
// The columns to read for hooks of both `a` and `b` (an update's old row serves the BEFORE
// hooks that look at rows and the AFTER hooks): every column if either needs them all.
EventHooks ReadsOfBoth(const EventHooks& a, const EventHooks& b);

// Value helpers for hook code.
std::string TextOf(const RowData& row, std::string_view column);  // "" when NULL/absent
int64_t IntOf(const RowData& row, std::string_view column);       // 0 when NULL/absent
bool IsNull(const RowData& row, std::string_view column);

}  // namespace hooks
}  // namespace ib::storage
