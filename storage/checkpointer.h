// Checkpointer: copies the WAL back into the database file on a thread of its own, so no write
// request pays for it. SQLite's automatic checkpoint runs inside the COMMIT that crosses the
// threshold (about 1,000 pages), on the writer, and with synchronous=FULL it syncs the database
// file too: a few milliseconds every thousand pages on one unlucky request and on every write
// queued behind it. The writer's WAL hook (Watch) replaces that automatic checkpoint and only
// wakes this thread, which runs a PASSIVE checkpoint on its own connection: it never blocks the
// writer or a reader, and copies what no reader still needs.
// The hook is told the WAL's whole length, not what was committed since the last pass: once
// the WAL holds kWakePages, every commit wakes the thread, so passes run back to back, each
// copying the few frames committed during the one before. That is kept on purpose: waking
// only after each further kWakePages (larger, rarer passes) used 8 % less CPU and inserted up
// to 15 % faster, but the insert's p99 went from 6-8 ms to 12-16 ms, the syncs of WAL batches
// waiting behind the database file's larger writes (bench/README.md, run of 2026-12-04 15:32).
// A pass copies only the frames committed before it began, and SQLite starts the WAL over from
// its beginning only once every frame is copied: under a steady stream of writes that never
// happens, and the WAL grew without bound (200 MB in 50,000 inserts), every sync of it paying
// for the file's new size as well. So once the WAL holds kRestartPages, a pass is followed by
// a second one holding the writer's lock: it copies only what was committed during the first
// (a fraction of it), and the next write transaction restarts the WAL, which then stays a few
// megabytes long and is overwritten in place. The second pass stalls writes for its two syncs
// (the WAL's, the database file's), hence only every few checkpoints rather than each, and not
// while a reader's snapshot (a backup's, say) keeps the first pass from copying anything: the
// second could not copy more, and would only take the writer's lock at every commit.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/db.h"

struct sqlite3;

namespace ib::storage {

class Checkpointer {
 public:
  // The WAL length from which each commit wakes the thread (SQLite's default automatic
  // checkpoint threshold).
  static constexpr int kWakePages = 1000;
  // WAL pages past which a checkpoint ends with a pass holding the writer (see above).
  static constexpr int kRestartPages = 4 * kWakePages;

  // `writer_lock`: the lock that writes on the writer connection hold (Db's write mutex).
  Checkpointer(const std::string& uri, Durability durability, std::mutex& writer_lock);
  ~Checkpointer();  // stops the thread (a checkpoint under way finishes first)
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Installs the WAL hook on the writer: each commit reports the WAL's size here.
  void Watch(sqlite3* writer);

  // Checkpoints completed so far (tests and diagnostics).
  int completed() const;
  // Of them, those whose second pass (holding the writer's lock) left no frame uncopied, so
  // that the next write starts the WAL over (none when a reader still needed old frames).
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

  std::unique_ptr<Connection> conn_;
  std::mutex& writer_lock_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  int completed_ = 0;
  int caught_up_ = 0;
  int last_copied_ = 0;  // Loop's thread only: `copied` of the last first pass
  std::thread thread_;
};

}  // namespace ib::storage
