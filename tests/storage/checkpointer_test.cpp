// Checkpointer: the writer's commits wake it once the WAL passes its threshold, and it copies
// the WAL back into the database file on its own thread.
#include "storage/checkpointer.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "storage/executor.h"
#include "storage/shared_map_vfs.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/wal_header.h"

namespace ib::storage {
namespace {

// A scratch database with a table `t`, its writer connection and the lock writes hold.
struct ScratchWriter {
  testing::ScratchDir dir;
  std::string path = dir.path() + "/db.sqlite";
  const Durability durability;
  Connection writer{path, durability};
  std::mutex writer_lock;
  explicit ScratchWriter(Durability d = Durability::kNormal) : durability(d) {
    Executor(writer).Exec("CREATE TABLE t (v BLOB)");
  }

  // Commits `rows` rows of about a page each, in one transaction.
  void InsertPages(int rows, const char* blob = "randomblob(3900)") {
    const std::string sql =
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
        std::to_string(rows) + ") INSERT INTO t SELECT " + blob + " FROM n";
    Executor(writer).Exec(sql.c_str());
  }
};

TEST_CASE("checkpointer: a WAL past the threshold is checkpointed off the writer") {
  ScratchWriter db;
  Checkpointer checkpointer(db.path, Durability::kNormal, db.writer_lock, {1000, 4000});
  checkpointer.Watch(db.writer.handle());
  // Small commits stay under the threshold: no checkpoint, and SQLite's automatic one is off.
  Executor(db.writer).Exec("INSERT INTO t VALUES (zeroblob(100))");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(checkpointer.completed() == 0);
  // About 1,200 pages in one commit: the hook wakes the thread.
  db.InsertPages(1200, "zeroblob(4000)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (checkpointer.completed() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(checkpointer.completed() >= 1);
  // The pages reached the database file: it grew past the ~1,200 pages the WAL held.
  CHECK(std::filesystem::file_size(db.path) > uintmax_t{1200} * 4096);
}

using testing::WalRestarts;

TEST_CASE("checkpointer: under a steady stream of writes the WAL starts over and stays bounded") {
  // A pass copies only what was committed before it began; without the second pass under the
  // writer's lock the WAL rarely starts over while writes keep coming, and grows with them.
  // The commits are durable, as the server's are: each waits for its WAL sync, so the stream
  // shares the disk with the checkpointer's writeback and syncs. A stream that did not sync
  // outran a checkpointer waiting on a busy disk (another process writing): the WAL grew to
  // ~90 MB before the first restart (synced, see the figures at the end).
  ScratchWriter db(Durability::kFull);
  Checkpointer checkpointer(db.path, db.durability, db.writer_lock, {1000, 4000});
  checkpointer.Watch(db.writer.handle());
  const std::string wal = db.path + "-wal";
  const uint32_t restarts_before = WalRestarts(wal);
  const int64_t paid_before = DeferredSyncsPaid();
  // About 20 pages per commit (a batch of the server's), back to back, with a batch's worth of
  // time between commits.
  auto commit = [&db] {
    {
      std::lock_guard<std::mutex> hold(db.writer_lock);
      db.InsertPages(20);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  };
  // Some 24,000 pages in all; and if the checkpointer's thread was starved of CPU meanwhile (a
  // loaded test machine), the stream goes on until the WAL starts over, for at most 10 s.
  for (int i = 0; i < 1200; ++i) commit();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (WalRestarts(wal) == restarts_before && std::chrono::steady_clock::now() < deadline) {
    commit();
  }
  const uint32_t restarts = WalRestarts(wal) - restarts_before;
  MESSAGE("WAL restarts " << restarts << ", file " << std::filesystem::file_size(wal)
                          << " bytes, checkpoints " << checkpointer.completed() << ", caught up "
                          << checkpointer.caught_up());
  CHECK(checkpointer.caught_up() >= 1);
  CHECK(restarts >= 1);
  // The copies are synced before each restart (storage/shared_map_vfs.h), not at each pass:
  // a prepared restart syncs once off the writer and after each catch-up pass, whether or not
  // SQLite asked for it (the last sync, under the writer's lock, only if it did). Restarts
  // and caught-up preparations are not one to one on a loaded machine (CI's sanitizer run saw
  // 7 restarts for 5, an idle one 4 for 6): a restart can follow a preparation whose last pass
  // fell short, and a caught-up one can go unused. So: the syncs of every caught-up
  // preparation, and at least one sync per restart.
  const int64_t syncs = DeferredSyncsPaid() - paid_before;
  CHECK(syncs >= int64_t{Checkpointer::kCatchUpPasses + 1} * checkpointer.caught_up());
  CHECK(syncs >= int64_t{restarts});
  // Without the second pass the WAL held nearly all of it (about 100 MB); with it, the WAL
  // is overwritten in place and stays some tens of megabytes on a loaded machine too (23-29 MB
  // beside three busy loops and a process writing and syncing 200 MB files; 23 MB idle).
  CHECK(std::filesystem::file_size(wal) < uintmax_t{60} * 1000 * 1000);
}

TEST_CASE("checkpointer: when writes are slow the WAL starts over long before its limit") {
  // A pass that copied everything prepares a restart (at most every few seconds), so a quiet
  // database's WAL does not grow to restart_pages first.
  ScratchWriter db;
  Checkpointer checkpointer(db.path, Durability::kNormal, db.writer_lock, {1000, 64000});
  checkpointer.Watch(db.writer.handle());
  const std::string wal = db.path + "-wal";
  const uint32_t restarts_before = WalRestarts(wal);
  const int64_t paid_before = DeferredSyncsPaid();
  {
    std::lock_guard<std::mutex> hold(db.writer_lock);
    db.InsertPages(1200);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (checkpointer.caught_up() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(checkpointer.caught_up() == 1);
  CHECK(DeferredSyncsPaid() > paid_before);
  {
    std::lock_guard<std::mutex> hold(db.writer_lock);
    db.InsertPages(1);
  }
  CHECK(WalRestarts(wal) == restarts_before + 1);
}

TEST_CASE("checkpointer: while a reader holds the WAL back it does not take the writer's lock") {
  // A backup's snapshot keeps every pass from copying; a second pass under the writer's lock
  // could not copy more, so it is skipped: here the writer's lock stays held throughout, and
  // checkpoints still complete.
  ScratchWriter db;
  Executor(db.writer).Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  Connection reader(db.path, Durability::kNormal);
  Executor(reader).Exec("BEGIN");
  Executor(reader).Exec("SELECT count(*) FROM t");  // the snapshot: an empty WAL
  std::unique_lock<std::mutex> held(db.writer_lock);
  {
    // A pass at every commit.
    Checkpointer checkpointer(db.path, Durability::kNormal, db.writer_lock, {1, 4000});
    checkpointer.Watch(db.writer.handle());
    // Past the restart threshold, then commits that each wake the checkpointer again.
    db.InsertPages(4500);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (checkpointer.completed() < 3 && std::chrono::steady_clock::now() < deadline) {
      db.InsertPages(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(checkpointer.completed() >= 3);
    CHECK(checkpointer.caught_up() == 0);
    held.unlock();  // so that a checkpointer blocked on it (the failure) can stop
  }
  Executor(reader).Exec("COMMIT");
}

}  // namespace
}  // namespace ib::storage
