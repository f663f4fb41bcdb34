// ChangeLog: the committed row changes of the database its subscribers want, in commit order.
// The writer connection captures each insert, update and delete as SQLite makes it (RowWriter
// writes, hook writes, raw store SQL, ON DELETE CASCADE) and, after COMMIT, publishes the
// transaction's records here from its after-commit queue; a rolled-back transaction publishes
// nothing. What it captures is decided as each write transaction begins: the union of the
// subscribers' interests (a subscriber without one wants every change). With no subscriber, or
// none that wants anything (Realtime without a postgres_changes binding), a write copies no row
// values at all: a 256 KiB chunk of a stored file, say.
// Thread-safe. Subscribers are called on the group commit's sync thread, one call per
// transaction, in commit order, once the transaction is durable (GroupCommit): they must be
// quick (copy and hand off) and must not write to the database or (un)subscribe from inside
// the call. Each
// receives every record captured, which may be more than its own interest.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
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

// What a subscriber wants captured of the write transactions that begin from now on.
struct ChangeInterest {
  bool every_table = false;                       // every insert, update and delete
  std::set<std::string, std::less<>> tables;      // every change of these tables
  std::set<std::string, std::less<>> deletes_of;  // every delete of these tables

  static ChangeInterest Everything();
  bool Wants(std::string_view table, ChangeOp op) const;
  bool Nothing() const { return !every_table && tables.empty() && deletes_of.empty(); }
  void Add(const ChangeInterest& other);  // becomes the union of both
};

class ChangeLog {
 public:
  // One committed transaction's records, in the order SQLite made the changes.
  using Subscriber = std::function<void(const std::vector<ChangeRecord>&)>;
  // Asked on the writer as each write transaction begins (any thread): must be quick and must
  // not touch the database or this log.
  using InterestFn = std::function<ChangeInterest()>;
  using SubscriptionId = uint64_t;

  // Without `interest`, the subscriber wants every change. A transaction already running when
  // a subscriber starts to want a table is captured as it began.
  SubscriptionId Subscribe(Subscriber fn, InterestFn interest = nullptr);
  // After it returns, `id` receives nothing more (a delivery in flight has finished).
  void Unsubscribe(SubscriptionId id);

  // The union of the subscribers' interests: what the next write transaction captures.
  ChangeInterest Interest() const;

  // Delivers one transaction's records to every subscriber. Called by the writer's after-commit
  // queue, which GroupCommit runs batch by batch in commit order (storage/durable_sync.h).
  void Publish(const std::vector<ChangeRecord>& batch);

  // The sequence of the last record published (0 before any).
  int64_t last_sequence() const;

 private:
  mutable std::mutex mutex_;  // guards subscribers_, next_id_ and last_sequence_
  std::map<SubscriptionId, Subscriber> subscribers_;
  // Apart from mutex_, which a delivery holds: a transaction's start does not wait for the
  // delivery of an earlier one. Taken after mutex_ when both are.
  mutable std::mutex interest_mutex_;
  std::map<SubscriptionId, InterestFn> interests_;  // null: everything
  SubscriptionId next_id_ = 1;
  int64_t last_sequence_ = 0;
};

}  // namespace ib::storage
