// The unit of work: the one way to run a write (Db::Write) and the one way to run a read
// (Db::Read). A body gets a scope with the connection, the catalog, who asks and the request's
// clock; a write body writes rows through scope.writer() so hooks fire, and hands effects
// outside the database to AfterCommit(), the only exit after COMMIT. A throw rolls back
// everything the body did. Concurrent writes share one transaction (storage/group_commit.h):
// each body runs under its own savepoint, and Write returns once that transaction committed.
// Not reentrant: a body must not call Write/Read on the same Db (the writer is one lock).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "storage/db.h"
#include "storage/group_commit.h"
#include "storage/principal.h"
#include "storage/request_clock.h"
#include "storage/row_writer.h"
#include "storage/transaction.h"

namespace ib::storage {

// One request's part of a write transaction on the writer, for the duration of a Db::Write
// body (its savepoint in the batch's transaction).
class WriteScope {
 public:
  WriteScope(Transaction& tx, const Catalog& catalog, const Principal& who,
             const RequestClock& clock);
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

  Connection& conn() { return tx_.conn(); }
  const Catalog& catalog() const { return catalog_; }
  const Principal& who() const { return who_; }
  int64_t now_micros() const { return now_micros_; }
  RowWriter& writer() { return writer_; }
  // Runs fn after COMMIT succeeded, in queue order; dropped if this body's writes roll back.
  void AfterCommit(std::function<void()> fn) { tx_.AfterCommit(std::move(fn)); }
  // For a Savepoint (partial rollback inside the body).
  Transaction& transaction() { return tx_; }
  // Everything this body writes is rolled back when it returns, its hooks' effects and its
  // after-commit work included, and Db::Write still returns the body's value (PostgREST's
  // `Prefer: tx=rollback`: a write answered as if committed, that leaves no trace).
  void RollBackWhenDone() { roll_back_ = true; }
  bool rolls_back() const { return roll_back_; }

 private:
  Transaction& tx_;
  const Catalog& catalog_;
  const Principal& who_;
  int64_t now_micros_;
  RowWriter writer_;
  bool roll_back_ = false;
};

// Thrown out of a write body that asked for RollBackWhenDone(), so that its savepoint rolls
// back like a failed body's; Db::Write catches it and returns the body's value.
struct RolledBackOnRequest {};

// One read transaction (one snapshot) on this thread's read connection.
class ReadScope {
 public:
  ReadScope(Db& db, const Principal& who, const RequestClock& clock);
  ReadScope(const ReadScope&) = delete;
  ReadScope& operator=(const ReadScope&) = delete;

  Connection& conn() { return lease_.conn(); }
  const Catalog& catalog() const { return catalog_; }
  const Principal& who() const { return who_; }
  int64_t now_micros() const { return now_micros_; }

  // Db::Read's end of the body: ends the snapshot.
  void End() { tx_.Commit(); }

 private:
  Db::ReadLease lease_;
  Transaction tx_;
  const Catalog& catalog_;
  const Principal& who_;
  int64_t now_micros_;
};

template <class Fn>
auto Db::Write(const Principal& who, const RequestClock& clock, Fn&& fn) {
  using Result = std::invoke_result_t<Fn&&, WriteScope&>;
  const Catalog& schema = catalog();
  if constexpr (std::is_void_v<Result>) {
    auto body = [&](Transaction& tx) {
      WriteScope scope(tx, schema, who, clock);
      std::forward<Fn>(fn)(scope);
      if (scope.rolls_back()) throw RolledBackOnRequest{};
    };
    try {
      SubmitWrite(body);
    } catch (const RolledBackOnRequest&) {
    }
  } else {
    std::optional<Result> result;
    auto body = [&](Transaction& tx) {
      WriteScope scope(tx, schema, who, clock);
      result.emplace(std::forward<Fn>(fn)(scope));
      if (scope.rolls_back()) throw RolledBackOnRequest{};
    };
    try {
      SubmitWrite(body);
    } catch (const RolledBackOnRequest&) {
    }
    return std::move(*result);
  }
}

template <class Body>
void Db::SubmitWrite(Body& body) {
  WriteJob job;
  job.run = [](void* b, Transaction& tx) { (*static_cast<Body*>(b))(tx); };
  job.body = &body;
  group_->Submit(job);
}

template <class Fn>
auto Db::Read(const Principal& who, const RequestClock& clock, Fn&& fn) {
  ReadScope scope(*this, who, clock);
  if constexpr (std::is_void_v<std::invoke_result_t<Fn&&, ReadScope&>>) {
    std::forward<Fn>(fn)(scope);
    scope.End();
  } else {
    auto result = std::forward<Fn>(fn)(scope);
    scope.End();
    return result;
  }
}

}  // namespace ib::storage
