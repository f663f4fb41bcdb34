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
#include "tests/support/scratch_dir.h"

namespace ib::storage {
namespace {

TEST_CASE("checkpointer: a WAL past the threshold is checkpointed off the writer") {
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  {
    Connection writer(path, Durability::kNormal);
    Executor(writer).Exec("CREATE TABLE t (v BLOB)");
    std::mutex writer_lock;
    Checkpointer checkpointer(path, Durability::kNormal, writer_lock);
    checkpointer.Watch(writer.handle());
    // Small commits stay under the threshold: no checkpoint, and SQLite's automatic one is off.
    Executor(writer).Exec("INSERT INTO t VALUES (zeroblob(100))");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(checkpointer.completed() == 0);
    // About 1,200 pages in one commit: the hook wakes the thread.
    Executor(writer).Exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) "
        "INSERT INTO t SELECT zeroblob(4000) FROM n");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (checkpointer.completed() == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(checkpointer.completed() >= 1);
    // The pages reached the database file: it grew past the ~1,200 pages the WAL held.
    CHECK(std::filesystem::file_size(path) > uintmax_t{1200} * 4096);
  }
}

TEST_CASE("checkpointer: under a steady stream of writes the WAL starts over and stays bounded") {
  // A pass copies only what was committed before it began; without the second pass under the
  // writer's lock the WAL never starts over while writes keep coming, and grows with them.
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  Connection writer(path, Durability::kNormal);
  Executor(writer).Exec("CREATE TABLE t (v BLOB)");
  std::mutex writer_lock;
  Checkpointer checkpointer(path, Durability::kNormal, writer_lock);
  checkpointer.Watch(writer.handle());
  const std::string wal = path + "-wal";
  uintmax_t largest_wal = 0;
  // About 10 pages per commit, back to back: some 12,000 pages in all.
  for (int i = 0; i < 1200; ++i) {
    {
      std::lock_guard<std::mutex> hold(writer_lock);
      Executor(writer).Exec(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
          "INSERT INTO t SELECT randomblob(3900) FROM n");
    }
    // A batch's worth of time between commits, as between the server's batches.
    std::this_thread::sleep_for(std::chrono::microseconds(50));
    std::error_code ec;
    largest_wal = std::max(largest_wal, std::filesystem::file_size(wal, ec));
  }
  CHECK(checkpointer.completed() >= 2);
  CHECK(checkpointer.caught_up() >= 1);
  // Without restarts it would hold all ~12,000 pages and more (about 60 MB); with them it
  // stays near the restart threshold plus what was written during a pass.
  CHECK(largest_wal < uintmax_t{6} * Checkpointer::kWakePages * 4120);
  MESSAGE("largest WAL: " << largest_wal << " bytes, checkpoints " << checkpointer.completed()
                          << ", caught up " << checkpointer.caught_up());
}

TEST_CASE("checkpointer: while a reader holds the WAL back it does not take the writer's lock") {
  // A backup's snapshot keeps every pass from copying; a second pass under the writer's lock
  // could not copy more, so it is skipped: here the writer's lock stays held throughout, and
  // checkpoints still complete.
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  Connection writer(path, Durability::kNormal);
  Executor(writer).Exec("CREATE TABLE t (v BLOB)");
  Executor(writer).Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  Connection reader(path, Durability::kNormal);
  Executor(reader).Exec("BEGIN");
  Executor(reader).Exec("SELECT count(*) FROM t");  // the snapshot: an empty WAL
  std::mutex writer_lock;
  std::unique_lock<std::mutex> held(writer_lock);
  {
    Checkpointer checkpointer(path, Durability::kNormal, writer_lock);
    checkpointer.Watch(writer.handle());
    // Past the restart threshold, then commits that each wake the checkpointer again.
    Executor(writer).Exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4500) "
        "INSERT INTO t SELECT randomblob(3900) FROM n");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (checkpointer.completed() < 3 && std::chrono::steady_clock::now() < deadline) {
      Executor(writer).Exec("INSERT INTO t VALUES (randomblob(3900))");
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
