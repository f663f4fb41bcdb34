#include "storage/group_commit.h"

#include <pthread.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <utility>

#include "storage/db.h"
#include "storage/error.h"
#include "storage/hooks/fired_trace.h"
#include "storage/transaction.h"

namespace ib::storage {

namespace {

// A copy of the storage::Error in `cause` (any other exception as it is).
std::exception_ptr OwnCopy(const std::exception_ptr& cause) {
  try {
    std::rethrow_exception(cause);
  } catch (const Error& e) {
    return std::make_exception_ptr(e);
  } catch (...) {
    return cause;
  }
}

}  // namespace

GroupCommit::GroupCommit(Db& db, std::string wal_to_sync) : db_(db), sync_(std::move(wal_to_sync)) {
  writer_thread_ = std::thread([this] { WriterLoop(); });
  sync_thread_ = std::thread([this] { SyncLoop(); });
}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  // The writer first: a batch it is running still reaches the sync thread.
  writer_wake_.notify_one();
  writer_thread_.join();
  sync_wake_.notify_one();
  sync_thread_.join();
}

void GroupCommit::Submit(WriteJob& job) {
  job.waker = &ThreadWaker::ForThisThread();
  job.trace = hooks::FiredTrace::Current();
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&job);
  lock.unlock();
  writer_wake_.notify_one();  // no system call unless the writer thread waits
  lock.lock();
  while (!job.done) {
    // A wake may be a stale one (thread_waker.h): the loop looks again.
    lock.unlock();
    job.waker->Wait();
    lock.lock();
  }
  lock.unlock();
  if (job.error) std::rethrow_exception(job.error);
}

void GroupCommit::WriterLoop() {
  pthread_setname_np(pthread_self(), "ib-writer");
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    writer_wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    const size_t n = std::min(queue_.size(), kMaxBatch);
    CommittedBatch batch;
    batch.jobs.assign(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
    lock.unlock();
    batch.seq = RunBatch(batch.jobs, batch.effects);
    lock.lock();
    ++batches_;
    writes_ += n;
    if (batch.seq == 0) {
      lock.unlock();
      Answer(batch.jobs);  // nothing committed: nothing to sync, no effects
      lock.lock();
      continue;
    }
    committed_.push_back(std::move(batch));
    lock.unlock();
    sync_wake_.notify_one();  // likewise
    lock.lock();
  }
}

void GroupCommit::SyncLoop() {
  pthread_setname_np(pthread_self(), "ib-sync");
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    sync_wake_.wait(lock, [this] { return stopping_ || !committed_.empty(); });
    if (committed_.empty()) return;  // stopping, and the writer has stopped first
    std::deque<CommittedBatch> batches;
    batches.swap(committed_);
    lock.unlock();
    // In commit order. The first batch's sync covers the others too (they had all committed
    // before it began), so they only run their effects and are answered.
    for (CommittedBatch& batch : batches) {
      if (!sync_.Finish(batch.seq, batch.effects)) {
        const auto cause = std::make_exception_ptr(
            Error::Internal("the write was committed but could not be synced to disk"));
        for (WriteJob* j : batch.jobs) {
          if (!j->error) j->error = OwnCopy(cause);
        }
      }
      Answer(batch.jobs);
    }
    lock.lock();
  }
}

void GroupCommit::Answer(const std::vector<WriteJob*>& jobs) {
  // Wakers taken now: once a job is done its thread may return and the job leave its stack.
  std::array<ThreadWaker*, kMaxBatch> to_wake{};
  size_t waking = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (WriteJob* j : jobs) {
      j->done = true;
      to_wake[waking++] = j->waker;
    }
  }
  for (size_t i = 0; i < waking; ++i) to_wake[i]->Signal();
}

size_t GroupCommit::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

size_t GroupCommit::writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

size_t GroupCommit::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

uint64_t GroupCommit::RunAlone(WriteJob& job, Transaction& tx,
                               std::vector<std::function<void()>>& effects) {
  try {
    const hooks::FiredTrace::Lend trace(job.trace);
    job.run(job.body, tx);
  } catch (...) {
    job.error = std::current_exception();
    if (sqlite3_get_autocommit(tx.conn().handle()) != 0) {
      tx.Abandon();  // SQLite ended the transaction itself (I/O error, full disk)
    } else {
      tx.Rollback();
    }
    return 0;
  }
  effects = tx.CommitKeepingEffects();
  return sync_.Committed();
}

uint64_t GroupCommit::RunBatch(const std::vector<WriteJob*>& batch,
                               std::vector<std::function<void()>>& effects) {
  // Every job that has not failed on its own fails with `cause`: nothing of the batch stayed.
  // Each job gets its own copy of the error: one exception object rethrown on several request
  // threads at once would be shared by their handlers.
  auto fail_all = [&](const std::exception_ptr& cause) {
    for (WriteJob* j : batch) {
      if (!j->error) j->error = OwnCopy(cause);
    }
  };
  try {
    Db::WriteLease lease(db_);
    Transaction tx(lease.conn(), Transaction::Mode::kWrite);
    if (batch.size() == 1) return RunAlone(*batch.front(), tx, effects);
    for (WriteJob* job : batch) {
      Savepoint mark(tx);
      try {
        const hooks::FiredTrace::Lend trace(job->trace);
        job->run(job->body, tx);
        mark.Release();
      } catch (...) {
        job->error = std::current_exception();
        if (sqlite3_get_autocommit(lease.conn().handle()) != 0) {
          // SQLite ended the whole transaction (I/O error, full disk, out of memory): the
          // jobs before this one are gone with it.
          mark.Abandon();
          tx.Abandon();
          fail_all(job->error);
          return 0;
        }
        mark.RollbackTo();
      }
    }
    effects = tx.CommitKeepingEffects();
    // Numbered while the writer is still held, so the numbers follow commit order; nothing
    // below may throw, or the batches after this one would wait for it forever.
    return sync_.Committed();
  } catch (...) {
    fail_all(std::current_exception());
  }
  return 0;
}

}  // namespace ib::storage
