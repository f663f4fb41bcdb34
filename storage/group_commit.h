// GroupCommit: concurrent write requests share one transaction and one sync. Each request's
// body runs under its own savepoint inside a batch transaction on the writer, one after another;
// a body that throws rolls back to its savepoint alone and gets its own error, the others stay
// (a batch of one needs no savepoint: its failure rolls the transaction back, see RunAlone).
// The first request to arrive while no batch runs leads: it takes every request queued so far,
// runs them and commits, then hands the writer to the next batch and waits for the sync that
// makes its batch durable (storage/durable_sync.h: one fdatasync of the WAL, off the writer,
// covering every batch committed before it); the batch's after-commit work runs in commit
// order, and only then does any of its requests return. Requests arriving meanwhile queue for
// the next batch, so a batch grows with the load and a lone request is its own batch.
// If the transaction itself ends early (an I/O error, a full disk: SQLite rolls everything
// back) or COMMIT fails, every request of the batch that had not already failed gets that
// error: none of it was written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "storage/durable_sync.h"
#include "storage/thread_waker.h"

namespace ib::storage {

class Db;
class Transaction;

// One request's part of a batch; lives on the requesting thread's stack until Submit returns.
struct WriteJob {
  void (*run)(void* body, Transaction& tx);  // runs `body` in the batch's transaction
  void* body;
  std::exception_ptr error;  // set when the body (or the batch's commit) failed
  bool taken = false;        // a leader has taken it into a batch; guarded by GroupCommit's mutex
  bool done = false;         // its batch is over (durable or failed); likewise
  // Wakes this request's thread alone: when it is to lead the next batch, or when its batch is
  // over. One waker per waiting thread instead of one condition variable for all: at c8 a
  // broadcast woke every waiting request thread two or three times per batch, and the futex
  // traffic cost more CPU than the batch's SQL. The thread's own (storage/thread_waker.h), not
  // the job's: it may be signalled after the mutex is released, when the job may be gone.
  ThreadWaker* waker = nullptr;
};

class GroupCommit {
 public:
  // At most this many requests share one transaction, bounding how long the first of them
  // waits for the last.
  static constexpr size_t kMaxBatch = 64;

  // `wal_to_sync`: the WAL file each batch is synced through before its requests return; empty
  // when the writer's own synchronous setting is all the durability wanted.
  GroupCommit(Db& db, std::string wal_to_sync) : db_(db), sync_(std::move(wal_to_sync)) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `job` in a batch and returns once that batch has committed (and is durable) or
  // rolled back; rethrows the job's error. Not reentrant (a body must not write through the
  // same Db). Meanwhile the calling thread runs with a short scheduler slice
  // (storage/short_slice.h), so that it gets a CPU soon after each of its wakes.
  void Submit(WriteJob& job);

  // Batches run so far (tests and diagnostics).
  size_t batches() const;
  // Writes (Submit calls) those batches ran, committed or not.
  size_t writes() const;
  // Requests waiting for the next batch now (tests: to know a batch has formed).
  size_t queued() const;
  // WAL syncs so far (tests: fewer than batches when one sync covered several).
  uint64_t syncs() const { return sync_.syncs(); }

 private:
  // Runs one batch on the writer: BEGIN, each job under a savepoint (RunAlone for one), COMMIT.
  // Returns the batch's number in commit order (DurableSync::Committed) and fills `effects` with
  // its after-commit work, or returns 0 when nothing was committed.
  uint64_t RunBatch(const std::vector<WriteJob*>& batch,
                    std::vector<std::function<void()>>& effects);

  // A batch of one (a lone write, as under a light or paced load): its transaction is the
  // write's own, so no savepoint is needed to isolate it. A failure rolls the transaction back
  // instead, and nothing is committed or synced. A savepoint is not free: SAVEPOINT and RELEASE
  // are two more statements, and every page first changed under it is copied into SQLite's
  // sub-journal (about 3 % of a completion's instructions, 1 % of an insert's, counted alone).
  uint64_t RunAlone(WriteJob& job, Transaction& tx, std::vector<std::function<void()>>& effects);

  Db& db_;
  DurableSync sync_;
  mutable std::mutex mu_;
  std::vector<WriteJob*> queue_;  // waiting for the next batch
  bool leading_ = false;          // a thread is running a batch
  size_t batches_ = 0;
  size_t writes_ = 0;
};

}  // namespace ib::storage
