#include "storage/group_commit.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <utility>

#include "storage/db.h"
#include "storage/error.h"
#include "storage/short_slice.h"
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

void GroupCommit::Submit(WriteJob& job) {
  // Each wake below (the batch's turn, the sync, the effects' turn) finds a CPU sooner.
  const ShortSlice short_slice;
  job.waker = &ThreadWaker::ForThisThread();
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&job);
  while (!job.done) {
    if (leading_ || job.taken) {
      // Another batch runs on the writer, or ours is waiting for its sync. A wake may be a
      // stale one (thread_waker.h): the loop looks again.
      lock.unlock();
      job.waker->Wait();
      lock.lock();
      continue;
    }
    // Lead: take what is queued, this job included (unless more than a batch is queued ahead
    // of it: then it waits for the next turn).
    leading_ = true;
    const size_t n = std::min(queue_.size(), kMaxBatch);
    std::vector<WriteJob*> batch(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
    for (WriteJob* j : batch) j->taken = true;
    lock.unlock();
    std::vector<std::function<void()>> effects;
    const uint64_t seq = RunBatch(batch, effects);
    // The writer is free: the oldest request still queued leads the next batch while this one
    // waits for its sync (a request arriving first may lead instead and take it along).
    lock.lock();
    ++batches_;
    writes_ += batch.size();
    leading_ = false;
    ThreadWaker* next_leader = queue_.empty() ? nullptr : queue_.front()->waker;
    lock.unlock();
    if (next_leader != nullptr) next_leader->Signal();
    if (seq != 0 && !sync_.Finish(seq, effects)) {
      const auto cause = std::make_exception_ptr(
          Error::Internal("the write was committed but could not be synced to disk"));
      for (WriteJob* j : batch) {
        if (!j->error) j->error = OwnCopy(cause);
      }
    }
    // The other requests' threads are woken once the mutex is released, through their wakers
    // (taken now: once a job is done its thread may return and the job leave its stack).
    std::array<ThreadWaker*, kMaxBatch> to_wake{};
    size_t waking = 0;
    lock.lock();
    for (WriteJob* j : batch) {
      j->done = true;
      if (j != &job) to_wake[waking++] = j->waker;
    }
    lock.unlock();
    for (size_t i = 0; i < waking; ++i) to_wake[i]->Signal();
    lock.lock();
  }
  lock.unlock();
  if (job.error) std::rethrow_exception(job.error);
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
