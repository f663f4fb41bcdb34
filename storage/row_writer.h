// RowWriter: every write of a row in one place, so hooks fire whichever path writes (REST
// insert/update/upsert/delete, bulk writes, the admin API, other hooks). Values are bound,
// columns come from the catalog. The stored row (before or after the write) is read only for
// the hooks registered on that event: a table without hooks costs its one statement. Lives for
// one transaction on its connection; not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/hooks/hook.h"

namespace ib::storage {

class Connection;
class Catalog;
struct Table;

class RowWriter {
 public:
  RowWriter(Connection& conn, const Catalog& catalog, const Principal& who, int64_t now_micros);

  // Inserts `values` (absent columns take their defaults); returns the new rowid.
  int64_t Insert(std::string_view table, hooks::RowData values);
  // Sets `changes` on the row; BEFORE hooks may add changes (updated_at).
  void Update(std::string_view table, int64_t rowid, hooks::RowData changes);
  // Deletes the row (SQLite's ON DELETE CASCADE removes children).
  void Delete(std::string_view table, int64_t rowid);

  // The stored row, every column; nullopt if absent.
  std::optional<hooks::RowData> Read(std::string_view table, int64_t rowid);
  // rowid of the row whose `column` equals `value`, if any.
  std::optional<int64_t> FindRowid(std::string_view table, std::string_view column,
                                   const SqlValue& value);
  // That row itself with its rowid (one statement where FindRowid and Read take two): the
  // `columns` named, or every column when none are.
  struct FoundRow {
    int64_t rowid;
    hooks::RowData row;
  };
  std::optional<FoundRow> FindRow(std::string_view table, std::string_view column,
                                  const SqlValue& value, const hooks::Reads& columns = {});

  Connection& conn() { return conn_; }
  const Catalog& catalog() const { return catalog_; }
  int64_t now_micros() const { return now_micros_; }
  const Principal& who() const { return who_; }

 private:
  const Table& TableNamed(std::string_view table) const;
  // Reads the stored row into row.old_row, for hooks that look at it (the columns they
  // read); false if it is gone.
  bool LoadOldRow(const Table& table, hooks::HookRow& row, const hooks::EventHooks& before,
                  const hooks::EventHooks& after);
  // The stored row for `readers`: the columns they read, or every column.
  std::optional<hooks::RowData> ReadFor(const Table& table, int64_t rowid,
                                        const hooks::EventHooks& readers);
  // The row's `select_list` (catalog identifiers, or "*"), by rowid.
  std::optional<hooks::RowData> ReadSelect(const Table& table, int64_t rowid,
                                           const std::string& select_list);

  Connection& conn_;
  const Catalog& catalog_;
  const Principal& who_;
  int64_t now_micros_;
  int depth_ = 0;  // hook nesting, bounded so a hook cycle fails instead of recursing forever
};

}  // namespace ib::storage
