// Checkpointer: copies the WAL back into the database file on a thread of its own, so no write
// request pays for it. SQLite's automatic checkpoint runs inside the COMMIT that crosses the
// threshold (about 1,000 pages), on the writer, and with synchronous=FULL it syncs the database
// file too: a few milliseconds every thousand pages on one unlucky request and on every write
// queued behind it. The writer's WAL hook (Watch) replaces that automatic checkpoint and only
// wakes this thread, each time the WAL has grown by pass_pages, and it runs a PASSIVE
// checkpoint on its own connection: it never blocks the writer or a reader, and copies what no
// reader still needs.
// The copies are not synced pass by pass (storage/shared_map_vfs.h, kDeferDatabaseSyncs):
// their WAL frames stay on disk until the database file is synced, and recovery after a power
// loss reads them again. Syncing after every pass cost the insert benchmark about a fifth of
// its rate: each pass's sync writes the pages the pass touched (the same hot index pages
// again and again) and flushes the device, and the batches' WAL syncs queue behind it. The file
// is synced only when the WAL is to start over, which destroys the frames, and that is made
// rare: SQLite starts the WAL over at the first write after a pass that left no frame
// uncopied, and the writer's connection refuses that while a sync is owed
// (kRestartOnlyWhenSynced). Meanwhile, after every few passes, the file's dirty pages are
// written out between passes, paced (kWriteBackDatabase: a few pages in flight at a time, so
// the batches' WAL syncs do not queue behind thousands of them), so that a sync has little
// left to write.
// Under a steady stream of writes a pass never copies everything: it copies only the frames
// committed before it began. So once the WAL holds restart_pages, or after a pass that copied
// everything (at most every kEarlyRestartInterval), the thread writes the file's dirty pages
// out (paced) and syncs it (off the writer), catches up with two more passes each followed by
// a sync (each smaller than the last), then holds the writer's lock for a last pass and sync
// (a millisecond or two), and the next write transaction starts the WAL over. Those syncs are
// made although SQLite asks for none (kSyncDatabaseNow): it asks only after a pass that copied
// everything, under load only the last one, which then synced every copy since the last
// restart while holding the writer (10-25 ms). Not while a reader's snapshot (a backup's,
// say) keeps passes from copying anything: holding the writer could not help, and would only
// stall it at every pass.
// The WAL may so grow to about restart_pages (256 MB by default) under heavy writes, which a
// crash's recovery then reads once; at a low write rate passes copy everything and the WAL
// starts over every few seconds.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/db.h"

struct sqlite3;

namespace ib::storage {

// When the checkpointer works (in WAL pages of 4 KiB).
struct CheckpointerOptions {
  // A pass each time the WAL has grown by this much. A pass copies each page once, its newest
  // frame, however often it was written since the last pass, so the hot pages (index leaves,
  // counters, the leaderboard) cost fewer copies per write the longer a pass waits; but the
  // pages not yet copied are read from the WAL (pread, and a longer look-up in its index)
  // instead of the mapping. Completion PATCH, 4,000 against 2,000: +3-6 % req/s and 4 % less
  // server CPU per request; 8,000: +6 % but the mixed list/insert load -4 % (bench/README.md,
  // dev loop of 2026-12-07 20:30-21:30).
  int pass_pages = 4000;
  int restart_pages = 64000;  // from this length, the WAL is made to start over
};

class Checkpointer {
 public:
  // Passes between two background writebacks of the database file's dirty pages. Each one
  // writes the hot pages (index leaves, counters, the leaderboard) again, and each slice
  // holding a dirty page costs a device write and a wait: every 8,000 WAL pages, the writebacks
  // took about a tenth of the server's CPU under the completion PATCH. Every 32,000 (16 passes
  // of 2,000 then, 8 of 4,000 now), the server used 9-11 % less CPU per insert and per
  // completion, the p99s within the noise (bench/README.md, 2026-12-06). Not never: the dirty
  // pages would then be bounded only by the kernel's limits, whose writeback is not paced.
  static constexpr int kWritebackEveryPasses = 8;
  // A writeback goes on between passes in chunks of this many bytes of the file (each written
  // out a slice at a time, storage/shared_map_vfs.h), so that a pass falling due waits for one
  // chunk at most.
  static constexpr int64_t kWritebackChunkBytes = int64_t{4} << 20;
  // Passes, each followed by a sync, between the first sync of a restart and the last pass
  // under the writer's lock.
  static constexpr int kCatchUpPasses = 2;
  // The least time between two restarts prepared before the WAL reaches restart_pages.
  static constexpr std::chrono::seconds kEarlyRestartInterval{5};

  // `writer_lock`: the lock that writes on the writer connection hold (Db's write mutex).
  Checkpointer(const std::string& uri, Durability durability, std::mutex& writer_lock,
               CheckpointerOptions options = {});
  ~Checkpointer();  // stops the thread (a checkpoint under way finishes first)
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Installs the WAL hook on the writer (each commit reports the WAL's size here), and makes
  // the writer start the WAL over only once the copies of its frames are synced.
  void Watch(sqlite3* writer);

  // Checkpoints completed so far (tests and diagnostics).
  int completed() const;
  // Of them, those whose last pass (holding the writer's lock) left no frame uncopied and whose
  // syncs succeeded, so that the next write starts the WAL over (none when a reader still
  // needed old frames).
  int caught_up() const;

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Loop();
  // One PASSIVE pass: whether it copied every frame the WAL held when it began, and how many
  // frames that was.
  struct PassResult {
    bool complete;
    int wal_frames;
    int copied;  // frames of the WAL in the database file after the pass
  };
  PassResult Pass();
  // Writes the database file's dirty pages in [next, next + bytes) out, paced; `next` becomes
  // where to go on. Whether there is more of the file after that.
  bool WriteBack(int64_t& next, int64_t bytes);
  // Syncs the database file (storage/shared_map_vfs.h): `how` is kSyncDatabaseNow (whether or
  // not a sync is owed) or kPayDatabaseSync (only if one is). False (logged) if it failed.
  bool SyncDatabase(int how);
  // Syncs what the passes copied and makes the WAL start over at the next write; whether it
  // will (the last pass copied everything and every sync succeeded).
  bool PrepareRestart();

  std::unique_ptr<Connection> conn_;
  std::mutex& writer_lock_;
  const CheckpointerOptions options_;
  int woken_at_pages_ = 0;  // the writer's thread only: the WAL's length at the last wake
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  int completed_ = 0;
  int caught_up_ = 0;
  int last_copied_ = 0;  // Loop's thread only: `copied` of the last first pass
  int passes_ = 0;       // Loop's thread only: first passes so far
  // Loop's thread only: a background writeback under way, and where it goes on.
  bool writing_back_ = false;
  int64_t writeback_next_ = 0;
  std::chrono::steady_clock::time_point last_restart_{};  // Loop's thread only
  std::thread thread_;
};

}  // namespace ib::storage
