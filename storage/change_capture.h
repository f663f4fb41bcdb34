// ChangeCapture: the writer connection's record of row changes, fed by SQLite's preupdate
// hook, so it sees every insert, update and delete whatever issued it (RowWriter, hooks, a
// store's own SQL, ON DELETE CASCADE, REPLACE), and keeps those its log's subscribers want
// (ChangeLog::Interest, asked at BEGIN). Transaction drives it: armed at BEGIN, cut
// back when a savepoint or a failed statement is undone, discarded at ROLLBACK, and turned
// into sequenced ChangeRecords after COMMIT. Changes outside a write Transaction (migrations)
// and to sqlite_* or temp tables are not captured. Owned by its Connection; one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/change_log.h"
#include "storage/sql_value.h"

struct sqlite3;

namespace ib::storage {

class Catalog;
class Connection;

class ChangeCapture {
 public:
  ChangeCapture(sqlite3* handle, ChangeLog& log);
  ~ChangeCapture();
  ChangeCapture(const ChangeCapture&) = delete;
  ChangeCapture& operator=(const ChangeCapture&) = delete;

  // Column names and primary keys come from the catalog; other tables are asked by PRAGMA.
  void SetCatalog(std::shared_ptr<const Catalog> catalog) {
    catalog_ = std::move(catalog);
    catalog_shapes_.clear();
  }

  void Begin();  // a write transaction began: start recording
  size_t Mark() const { return pending_.size(); }
  void TruncateTo(size_t mark);  // what was recorded after `mark` was undone
  void Discard();                // ROLLBACK: nothing recorded happened
  // COMMIT succeeded: the records, named, keyed, numbered and stamped, ready to publish.
  // Reads table shapes through `conn` (the writer, still held by the caller).
  std::vector<ChangeRecord> Committed(Connection& conn);

  ChangeLog& log() { return log_; }

  // One change as SQLite reported it: values by column position.
  struct Pending {
    std::string table;
    ChangeOp op = ChangeOp::kInsert;
    int64_t rowid = 0;
    std::vector<SqlValue> old_values;
    std::vector<SqlValue> new_values;
  };
  // Column names by position and the primary key's columns, for one table.
  struct Shape {
    std::vector<std::string> columns;
    std::vector<std::string> primary_key;  // empty: the rowid identifies the row
  };

  // Called by the preupdate hook (public only for the C callback).
  void Record(Pending change) { pending_.push_back(std::move(change)); }
  bool armed() const { return armed_; }
  bool Wants(std::string_view table, ChangeOp op) const { return interest_.Wants(table, op); }

 private:
  sqlite3* handle_;
  ChangeLog& log_;
  std::shared_ptr<const Catalog> catalog_;
  std::map<std::string, Shape, std::less<>> catalog_shapes_;  // filled as tables are written
  bool armed_ = false;       // a write transaction runs and its changes are wanted
  ChangeInterest interest_;  // what this transaction captures
  std::vector<Pending> pending_;
  int64_t next_sequence_ = 1;
  int64_t last_commit_micros_ = 0;
};

}  // namespace ib::storage
