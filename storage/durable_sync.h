// DurableSync: the sync that makes a committed batch durable, taken off the writer. With
// synchronous=FULL, SQLite syncs the WAL inside COMMIT while the writer is held, so the next
// batch waits for the disk as well. Instead the writer runs synchronous=NORMAL (the WAL stays
// consistent: SQLite syncs it before checkpoints and syncs its header when it is reused) and
// GroupCommit's sync thread, batch by batch in commit order, makes sure an fdatasync of the WAL
// file that began after the batch's COMMIT has returned, while the writer runs the next batch.
// One sync covers every batch committed before it began. Only then do the batch's effects (the
// change log, after-commit work) run and its requests get their answers: an acknowledged write
// is on disk, as with synchronous=FULL. Committed() is called by the writer thread, Finish() by
// the sync thread.
#pragma once

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

  // Makes batch `seq` durable (an fdatasync, unless one that began after its COMMIT has already
  // returned), then runs `effects` (each one's exception is logged, not thrown). One thread
  // calls it, for each committed batch in commit order. Returns false if the sync failed: the
  // batch is committed but not known to be on disk (a later batch tries the sync again).
  bool Finish(uint64_t seq, std::vector<std::function<void()>>& effects);

  // fdatasync calls so far (tests: one sync may cover several batches).
  uint64_t syncs() const;

 private:
  bool SyncWal();  // one fdatasync of the WAL file (opened, and its directory synced, once)

  std::string wal_path_;
  int wal_fd_ = -1;      // Finish's thread only
  uint64_t synced_ = 0;  // batches known to be on disk; Finish's thread only
  mutable std::mutex mu_;
  uint64_t committed_ = 0;  // batches whose COMMIT returned; guarded by mu_
  uint64_t syncs_ = 0;      // likewise
};

}  // namespace ib::storage
