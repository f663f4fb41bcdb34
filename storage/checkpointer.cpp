#include "storage/checkpointer.h"

#include <sqlite3.h>

#include <iostream>

#include "storage/shared_map_vfs.h"

namespace ib::storage {
namespace {

// The checkpointer's own connection, its syncs of the database file deferred (see the header).
std::unique_ptr<Connection> OpenDeferringSyncs(const std::string& uri, Durability durability) {
  auto conn = std::make_unique<Connection>(uri, durability);
  sqlite3_file_control(conn->handle(), "main", kDeferDatabaseSyncs, nullptr);
  return conn;
}

}  // namespace

Checkpointer::Checkpointer(const std::string& uri, Durability durability, std::mutex& writer_lock,
                           CheckpointerOptions options)
    : conn_(OpenDeferringSyncs(uri, durability)),
      writer_lock_(writer_lock),
      options_(options),
      thread_([this] { Loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::Watch(sqlite3* writer) {
  sqlite3_wal_hook(writer, &Checkpointer::OnCommit, this);
  // The writer may start the WAL over only once the copies of its frames are synced.
  sqlite3_file_control(writer, "main", kRestartOnlyWhenSynced, nullptr);
}

int Checkpointer::completed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return completed_;
}

int Checkpointer::caught_up() const {
  std::lock_guard<std::mutex> lock(mu_);
  return caught_up_;
}

int Checkpointer::OnCommit(void* self, sqlite3*, const char*, int wal_pages) {
  auto* checkpointer = static_cast<Checkpointer*>(self);
  // The hook is told the WAL's whole length: shorter than at the last wake, it started over.
  int& woken_at = checkpointer->woken_at_pages_;
  if (wal_pages < woken_at) woken_at = 0;
  if (wal_pages - woken_at < checkpointer->options_.pass_pages) return SQLITE_OK;
  woken_at = wal_pages;
  {
    std::lock_guard<std::mutex> lock(checkpointer->mu_);
    checkpointer->due_ = true;
  }
  checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return due_ || stopping_ || writing_back_; });
    if (stopping_) return;
    if (!due_) {
      // Between passes, the writeback of the database file's dirty pages goes on, a chunk at a
      // time, so that a pass falling due waits for one chunk at most.
      lock.unlock();
      writing_back_ = WriteBack(writeback_next_, kWritebackChunkBytes);
      lock.lock();
      continue;
    }
    due_ = false;
    lock.unlock();
    const PassResult first = Pass();
    if (++passes_ % kWritebackEveryPasses == 0) writing_back_ = true;
    bool caught_up = false;
    // A first pass that copied nothing more than the last one: a reader's snapshot holds the
    // rest back, and a pass under the writer's lock would not copy more (see the header).
    const bool held_back = !first.complete && first.copied == last_copied_;
    last_copied_ = first.copied;
    // A complete pass (writes are slow) lets the WAL start over early, but at most once per
    // kEarlyRestartInterval: under load a pass is complete now and then, and preparing a
    // restart each time held the writer often enough to double the insert's p99.
    const auto now = std::chrono::steady_clock::now();
    const bool due =
        first.wal_frames >= options_.restart_pages ||
        (first.complete && first.wal_frames > 0 && now - last_restart_ >= kEarlyRestartInterval);
    if (due && !held_back) {
      last_restart_ = now;
      caught_up = PrepareRestart();
    }
    lock.lock();
    ++completed_;
    if (caught_up) ++caught_up_;
  }
}

bool Checkpointer::PrepareRestart() {
  // The bulk of the copies is written out (paced) and synced while writes go on; each
  // catch-up pass copies what was committed meanwhile and is synced at once (pacing these
  // smaller writes too made each round longer and so the last one, under the writer's lock,
  // bigger). The syncs are made whether or not SQLite asked for one: it asks only after a pass
  // that copied everything, which under load is only the last one.
  writeback_next_ = 0;  // the whole file, which also ends a background writeback under way
  while (WriteBack(writeback_next_, kWritebackChunkBytes)) {
  }
  writing_back_ = false;
  if (!SyncDatabase(kSyncDatabaseNow)) return false;
  for (int i = 0; i < kCatchUpPasses; ++i) {
    Pass();
    if (!SyncDatabase(kSyncDatabaseNow)) return false;
  }
  // Copy (and sync) what was committed since with the writer held: once every frame is copied
  // and synced, the next write transaction starts the WAL over.
  std::lock_guard<std::mutex> writer(writer_lock_);
  const bool complete = Pass().complete;
  return SyncDatabase(kPayDatabaseSync) && complete;
}

bool Checkpointer::WriteBack(int64_t& next, int64_t bytes) {
  DatabaseWriteback w{next, bytes};
  if (sqlite3_file_control(conn_->handle(), "main", kWriteBackDatabase, &w) != SQLITE_OK) {
    next = 0;  // not our file to map: the kernel writes it back on its own
    return false;
  }
  next = w.next;
  return next != 0;
}

bool Checkpointer::SyncDatabase(int how) {
  const int rc = sqlite3_file_control(conn_->handle(), "main", how, nullptr);
  // SQLITE_NOTFOUND: the file is not ours to map; its syncs were never deferred.
  if (rc == SQLITE_OK || rc == SQLITE_NOTFOUND) return true;
  std::cerr << "checkpoint: syncing the database file failed: " << sqlite3_errstr(rc) << std::endl;
  return false;
}

Checkpointer::PassResult Checkpointer::Pass() {
  int wal_frames = 0;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           &wal_frames, &copied);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    std::cerr << "checkpoint failed: " << sqlite3_errstr(rc) << std::endl;
    return {false, 0, 0};  // and no restart is prepared: the next wake tries again
  }
  return {rc == SQLITE_OK && copied >= wal_frames, wal_frames, copied};
}

}  // namespace ib::storage
