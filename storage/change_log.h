// ChangeLog: every committed row change of the database, in commit order. The writer
// connection captures each insert, update and delete as SQLite makes it (RowWriter writes,
// hook writes, raw store SQL, ON DELETE CASCADE) and, after COMMIT, publishes the transaction's
// records here from its after-commit queue; a rolled-back transaction publishes nothing.
// Thread-safe. Subscribers are called on the committing thread, one call per transaction, in
// commit order, once the transaction is durable (GroupCommit): they must be quick (copy and
// hand off) and must not write to the database or (un)subscribe from inside the call.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/sql_value.h"

namespace ib::storage {

enum class ChangeOp { kInsert, kUpdate, kDelete };
const char* ChangeOpName(ChangeOp op);  // "INSERT", "UPDATE", "DELETE" (Postgres' spelling)

// Column name -> value in its storage form (the same shape as hooks::RowData).
using ChangeRow = std::map<std::string, SqlValue, std::less<>>;

struct ChangeRecord {
  std::string table;
  ChangeOp op = ChangeOp::kInsert;
  ChangeRow key;                     // primary-key columns; {"rowid": n} for a table without one
  std::optional<ChangeRow> old_row;  // update and delete: every column before
  std::optional<ChangeRow> new_row;  // insert and update: every column after
  int64_t sequence = 0;              // per Db, strictly increasing in commit order, from 1
  int64_t commit_micros = 0;         // when the transaction committed (Unix microseconds)
};

class ChangeLog {
 public:
  // One committed transaction's records, in the order SQLite made the changes.
  using Subscriber = std::function<void(const std::vector<ChangeRecord>&)>;
  using SubscriptionId = uint64_t;

  SubscriptionId Subscribe(Subscriber fn);
  // After it returns, `id` receives nothing more (a delivery in flight has finished).
  void Unsubscribe(SubscriptionId id);

  // Delivers one transaction's records to every subscriber. Called by the writer's after-commit
  // queue, which GroupCommit runs batch by batch in commit order (storage/durable_sync.h).
  void Publish(const std::vector<ChangeRecord>& batch);

  // The sequence of the last record published (0 before any).
  int64_t last_sequence() const;

 private:
  mutable std::mutex mutex_;  // guards subscribers_, next_id_ and last_sequence_
  std::map<SubscriptionId, Subscriber> subscribers_;
  SubscriptionId next_id_ = 1;
  int64_t last_sequence_ = 0;
};

}  // namespace ib::storage
