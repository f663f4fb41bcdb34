// GroupCommit: concurrent write requests share one transaction and one sync. Each request's
// body runs under its own savepoint inside a batch transaction on the writer, one after another;
// a body that throws rolls back to its savepoint alone and gets its own error, the others stay
// (a batch of one needs no savepoint: its failure rolls the transaction back, see RunAlone).
// Two threads of its own do the serial work, as a pipeline: the writer thread takes every
// request queued so far, runs them and commits, hands the batch to the sync thread and goes on
// with the next batch at once; the sync thread makes each batch durable (storage/durable_sync.h:
// one fdatasync of the WAL covers every batch committed before it began), runs its after-commit
// work in commit order, and only then wakes its requests. A request thread only queues its
// write and sleeps until its batch is over, so a batch grows with the load and a lone request
// is its own batch.
// Why threads of their own: when the request that arrived first led the batch, each batch ended
// with a hand-off to the next batch's leader, a sleeping thread to wake while the writer stood
// idle (40-45 us a batch on these VMs), and the leader's own requests waited for its sync. The
// writer thread starts the next batch without waking anyone (bench/README.md, 2026-12-08).
// Both keep the scheduler's default slice: with the shortest one (which request threads used to
// ask for around each write, so that their wakes preempted reads) the writer was preempted in
// its batches and the reads more often, and inserts, lists beside appends and the mixed load
// were all slower.
// If the transaction itself ends early (an I/O error, a full disk: SQLite rolls everything
// back) or COMMIT fails, every request of the batch that had not already failed gets that
// error: none of it was written.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/durable_sync.h"
#include "storage/thread_waker.h"

namespace ib::storage {

class Db;
class Transaction;
namespace hooks {
class FiredTrace;
}

// One request's part of a batch; lives on the requesting thread's stack until Submit returns.
struct WriteJob {
  void (*run)(void* body, Transaction& tx) = nullptr;  // runs `body` in the batch's transaction
  void* body = nullptr;
  std::exception_ptr error;  // set when the body (or the batch's commit) failed
  bool done = false;  // its batch is over (durable or failed); guarded by GroupCommit's mutex
  // Wakes this request's thread alone, when its batch is over. One waker per waiting thread
  // instead of one condition variable for all: at c8 a broadcast woke every waiting request
  // thread for every batch, and the futex traffic cost more CPU than the batch's SQL. The
  // thread's own (storage/thread_waker.h), not the job's: it is signalled after the mutex is
  // released, when the job may be gone.
  ThreadWaker* waker = nullptr;
  // The requesting thread's hook trace (tests): the body's hooks fire on the writer thread.
  hooks::FiredTrace* trace = nullptr;
};

class GroupCommit {
 public:
  // At most this many requests share one transaction, bounding how long the first of them
  // waits for the last.
  static constexpr size_t kMaxBatch = 64;

  // `wal_to_sync`: the WAL file each batch is synced through before its requests return; empty
  // when the writer's own synchronous setting is all the durability wanted.
  // Starts the writer and sync threads.
  GroupCommit(Db& db, std::string wal_to_sync);
  // Stops and joins them; no Submit may be under way.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `job` in a batch on the writer thread and returns once that batch has committed (and
  // is durable) and its after-commit work has run, or it rolled back; rethrows the job's error.
  // Not reentrant (a body must not write through the same Db: the writer would wait for
  // itself).
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

  // A committed batch on its way through the sync thread.
  struct CommittedBatch {
    uint64_t seq = 0;  // DurableSync's number, in commit order
    std::vector<WriteJob*> jobs;
    std::vector<std::function<void()>> effects;
  };

  // The writer thread: batch after batch while requests are queued.
  void WriterLoop();
  // The sync thread: each committed batch made durable, its effects run, its requests woken.
  void SyncLoop();
  // Marks the jobs done and wakes their threads (after releasing the mutex).
  void Answer(const std::vector<WriteJob*>& jobs);

  Db& db_;
  DurableSync sync_;
  mutable std::mutex mu_;
  std::vector<WriteJob*> queue_;          // waiting for the next batch
  std::deque<CommittedBatch> committed_;  // waiting for the sync thread
  std::condition_variable writer_wake_;
  std::condition_variable sync_wake_;
  bool stopping_ = false;
  size_t batches_ = 0;
  size_t writes_ = 0;
  // Last members: started once everything above exists, joined before it goes.
  std::thread writer_thread_;
  std::thread sync_thread_;
};

}  // namespace ib::storage
