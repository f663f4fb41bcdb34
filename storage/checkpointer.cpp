#include "storage/checkpointer.h"

#include <sqlite3.h>

#include <iostream>

namespace ib::storage {

Checkpointer::Checkpointer(const std::string& uri, Durability durability)
    : conn_(std::make_unique<Connection>(uri, durability)), thread_([this] { Loop(); }) {}

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
    const int rc = sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      std::cerr << "checkpoint failed: " << sqlite3_errstr(rc) << std::endl;
    }
    lock.lock();
    ++completed_;
  }
}

}  // namespace ib::storage
