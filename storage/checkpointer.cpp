#include "storage/checkpointer.h"

#include <sqlite3.h>

#include <iostream>

namespace ib::storage {

Checkpointer::Checkpointer(const std::string& uri, Durability durability, std::mutex& writer_lock)
    : conn_(std::make_unique<Connection>(uri, durability)),
      writer_lock_(writer_lock),
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
  if (wal_pages < kWakePages) return SQLITE_OK;
  auto* checkpointer = static_cast<Checkpointer*>(self);
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
    wake_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    lock.unlock();
    const PassResult first = Pass();
    bool caught_up = false;
    // A first pass that copied nothing more than the last one: a reader's snapshot holds the
    // rest back, and a pass under the writer's lock would not copy more (see the header).
    const bool held_back = !first.complete && first.copied == last_copied_;
    last_copied_ = first.copied;
    if (first.wal_frames >= kRestartPages && !held_back) {
      // Copy what was committed during the pass with the writer held (little), so that the
      // WAL can start over (see the header).
      std::lock_guard<std::mutex> writer(writer_lock_);
      caught_up = Pass().complete;
    }
    lock.lock();
    ++completed_;
    if (caught_up) ++caught_up_;
  }
}

Checkpointer::PassResult Checkpointer::Pass() {
  int wal_frames = 0;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           &wal_frames, &copied);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    std::cerr << "checkpoint failed: " << sqlite3_errstr(rc) << std::endl;
    return {true, 0, 0};  // nothing a second pass would do better
  }
  return {rc == SQLITE_OK && copied >= wal_frames, wal_frames, copied};
}

}  // namespace ib::storage
