#include "storage/durable_sync.h"

#include <fcntl.h>
#include <unistd.h>

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
  bool durable = true;
  if (!wal_path_.empty() && synced_ < seq) {
    // The sync covers every batch whose COMMIT has returned by now, this one included.
    uint64_t target = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      target = committed_;
    }
    durable = SyncWal();
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++syncs_;
    }
    if (durable) synced_ = target;
  }
  Transaction::RunEffects(effects);
  return durable;
}

uint64_t DurableSync::syncs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return syncs_;
}

}  // namespace ib::storage
