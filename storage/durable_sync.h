// DurableSync: the sync that makes a committed batch durable, taken off the writer. With
// synchronous=FULL, SQLite syncs the WAL inside COMMIT while the writer is held, so the next
// batch waits for the disk as well. Instead the writer runs synchronous=NORMAL (the WAL stays
// consistent: SQLite syncs it before checkpoints and syncs its header when it is reused) and
// each batch, after COMMIT and with the writer released, waits here until an fdatasync of the
// WAL file that began after its COMMIT has returned. One sync covers every batch committed
// before it began, and the next batch runs on the writer meanwhile. Only then do the batch's
// effects (the change log, after-commit work) run, and in commit order, and its requests are
// answered: an acknowledged write is on disk, as with synchronous=FULL. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace ib::storage {

class DurableSync {
 public:
  // `wal_path`: the WAL file to sync; empty when there is nothing to sync (durability normal,
  // an in-memory database): batches then only keep their effects in commit order.
  explicit DurableSync(std::string wal_path);
  ~DurableSync();
  DurableSync(const DurableSync&) = delete;
  DurableSync& operator=(const DurableSync&) = delete;

  // Numbers a batch whose COMMIT just returned; call while still holding the writer, so the
  // numbers follow commit order.
  uint64_t Committed();

  // Waits until batch `seq` is durable and every earlier batch has run its effects, then runs
  // `effects` (each one's exception is logged, not thrown). Returns false if the sync failed:
  // the batch is committed but not known to be on disk.
  bool Finish(uint64_t seq, std::vector<std::function<void()>>& effects);

  // fdatasync calls so far (tests: one sync may cover several batches).
  uint64_t syncs() const;

 private:
  bool SyncWal();  // one fdatasync of the WAL file (opened, and its directory synced, once)

  std::string wal_path_;
  int wal_fd_ = -1;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  uint64_t committed_ = 0;  // batches whose COMMIT returned
  uint64_t synced_ = 0;     // batches known to be on disk
  uint64_t finished_ = 0;   // batches whose effects have run
  bool syncing_ = false;    // a thread is in fdatasync
  uint64_t syncs_ = 0;
};

}  // namespace ib::storage
