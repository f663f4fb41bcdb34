#include "storage/durable_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <utility>

#include "storage/transaction.h"

namespace ib::storage {

DurableSync::DurableSync(std::string wal_path) : wal_path_(std::move(wal_path)) {}

DurableSync::~DurableSync() {
  if (wal_fd_ >= 0) close(wal_fd_);
}

uint64_t DurableSync::Committed() {
  std::lock_guard<std::mutex> lock(mu_);
  return ++committed_;
}

bool DurableSync::SyncWal() {
  if (wal_fd_ < 0) {
    // fdatasync through any descriptor flushes the file. SQLite created the WAL when the
    // writer first wrote; its directory entry is synced once here, so the file itself
    // survives a power loss too (SQLite would do so on its first sync of the file).
    wal_fd_ = open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) {
      std::cerr << "cannot open " << wal_path_ << " to sync it: " << std::strerror(errno)
                << std::endl;
      return false;
    }
    const auto slash = wal_path_.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : wal_path_.substr(0, slash + 1);
    const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      fsync(dir_fd);
      close(dir_fd);
    }
  }
  if (fdatasync(wal_fd_) != 0) {
    std::cerr << "fdatasync of " << wal_path_ << " failed: " << std::strerror(errno) << std::endl;
    return false;
  }
  return true;
}

bool DurableSync::Finish(uint64_t seq, std::vector<std::function<void()>>& effects) {
  std::unique_lock<std::mutex> lock(mu_);
  bool durable = true;
  if (!wal_path_.empty()) {
    while (synced_ < seq) {
      if (syncing_) {
        changed_.wait(lock);
        continue;
      }
      // Lead a sync: it covers every batch whose COMMIT has returned by now.
      syncing_ = true;
      const uint64_t target = committed_;
      lock.unlock();
      const bool ok = SyncWal();
      lock.lock();
      syncing_ = false;
      ++syncs_;
      if (ok) synced_ = std::max(synced_, target);
      // Notified with the mutex released, so that the woken do not find it held (and sleep
      // again at once); the condition variable is a member, so it outlives their waits.
      lock.unlock();
      changed_.notify_all();
      lock.lock();
      if (!ok) {
        // This batch's writes are committed but not known to be on disk: it is answered with
        // an error; a later batch tries the sync again.
        durable = false;
        break;
      }
    }
  }
  // Effects leave in commit order, even when a later batch's sync returned first.
  while (finished_ + 1 != seq) changed_.wait(lock);
  lock.unlock();
  Transaction::RunEffects(effects);
  lock.lock();
  finished_ = seq;
  lock.unlock();
  changed_.notify_all();
  return durable;
}

uint64_t DurableSync::syncs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return syncs_;
}

}  // namespace ib::storage
