// SharedMapVfs: database files open through it with one shared mapping; readers see exactly
// what a snapshot holds while a writer commits, checkpoints copy the WAL into the mapped file,
// the file grows past its first size and shrinks (VACUUM); the mapping goes with the last
// connection.
#include "storage/shared_map_vfs.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/db.h"
#include "storage/executor.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/wal_header.h"

// A namespace of its own, not an anonymous one: a unity batch may hold other tests' helpers
// of the same names.
namespace ib::storage::shared_map_vfs_test {

std::string VfsOf(Connection& c) {
  sqlite3_vfs* vfs = nullptr;
  REQUIRE(sqlite3_file_control(c.handle(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs) == SQLITE_OK);
  REQUIRE(vfs != nullptr);
  return vfs->zName;
}

int64_t One(Connection& c, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(c.handle(), sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const int64_t v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return v;
}

// One integer from `sql`, or nullopt when SQLite refused it (for threads other than the test's
// own, where a REQUIRE would end the process).
std::optional<int64_t> TryOne(Connection& c, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(c.handle(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return std::nullopt;
  }
  std::optional<int64_t> v;
  if (sqlite3_step(stmt) == SQLITE_ROW) v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return v;
}

// Runs `sql`; returns SQLite's result code and, in `message`, its error text.
int TryExec(Connection& c, const std::string& sql, std::string& message) {
  char* error = nullptr;
  const int rc = sqlite3_exec(c.handle(), sql.c_str(), nullptr, nullptr, &error);
  message = error != nullptr ? error : "";
  sqlite3_free(error);
  return rc;
}

void Exec(Connection& c, const std::string& sql) {
  std::string message;
  const int rc = TryExec(c, sql, message);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

// Runs the write transaction `sql` until it commits: the checkpoints below that wait for
// readers hold the writer's lock meanwhile, and under a sanitizer on a loaded machine that can
// outlast the busy timeout.
void CommitRetryingBusy(Connection& c, const std::string& sql) {
  std::string message;
  for (;;) {
    const int rc = TryExec(c, sql, message);
    if (rc == SQLITE_OK) return;
    if (sqlite3_get_autocommit(c.handle()) == 0) Exec(c, "ROLLBACK");
    REQUIRE_MESSAGE((rc & 0xff) == SQLITE_BUSY, message);
  }
}

TEST_CASE("shared map vfs: a database file opens through it, one mapping for all connections") {
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  const int before = SharedMappedFiles();
  {
    Connection a(path, Durability::kNormal);
    Connection b(path, Durability::kNormal);
    CHECK(VfsOf(a) == "ib-shared-map");
    CHECK(VfsOf(b) == "ib-shared-map");
    CHECK(SharedMappedFiles() == before + 1);
    CHECK(One(a, "PRAGMA mmap_size") == kSharedMapReserveBytes);
    Exec(a, "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('written by a')");
    CHECK(One(b, "SELECT count(*) FROM t WHERE v = 'written by a'") == 1);
  }
  CHECK(SharedMappedFiles() == before);  // unmapped with the last connection
  Connection again(path, Durability::kNormal);
  CHECK(One(again, "SELECT count(*) FROM t") == 1);
  // An in-memory database has no file to map.
  Connection memory("file:ib_shared_map_test?mode=memory", Durability::kNormal);
  CHECK(VfsOf(memory) != "ib-shared-map");
}

TEST_CASE(
    "shared map vfs: readers keep consistent snapshots while a writer commits and checkpoints") {
  // A bank: transfers keep the total constant and the file grows (new rows of about a page);
  // checkpoints copy the WAL into the mapped file while readers sum the table many times.
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  Connection writer(path, Durability::kNormal);
  Exec(writer,
       "CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER, pad BLOB);"
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
       "INSERT INTO account SELECT i, 1000, randomblob(3000) FROM n;"
       "PRAGMA wal_checkpoint(TRUNCATE)");
  const int64_t total = One(writer, "SELECT sum(balance) FROM account");
  REQUIRE(total == 400 * 1000);

  std::atomic<bool> done{false};
  std::atomic<int> bad_sums{0};
  std::atomic<int> sums{0};
  std::atomic<int> failed_checkpoints{0};
  std::vector<std::thread> readers;
  std::thread checkpointer;
  // Stops and joins the threads however the test ends (a failed REQUIRE included).
  struct Joined {
    std::atomic<bool>& done;
    std::vector<std::thread>& readers;
    std::thread& checkpointer;
    ~Joined() {
      done = true;
      for (auto& t : readers) {
        if (t.joinable()) t.join();
      }
      if (checkpointer.joinable()) checkpointer.join();
    }
  } joined{done, readers, checkpointer};
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      Connection reader(path, Durability::kNormal);
      while (!done.load()) {
        // Every row is read (the pads too), so every page of the table comes through a fetch.
        auto sum = TryOne(reader, "SELECT sum(balance) + 0 * sum(length(pad)) FROM account");
        if (!sum) continue;  // busy (a checkpoint under way): read again
        if (*sum != total) ++bad_sums;
        ++sums;
      }
    });
  }
  checkpointer = std::thread([&] {
    Connection c(path, Durability::kNormal);
    const char* modes[] = {"PASSIVE", "FULL", "RESTART", "TRUNCATE"};
    std::string message;
    for (int i = 0; !done.load(); ++i) {
      // Not REQUIRE: a failure on this thread is counted and checked on the test's own.
      const int rc =
          TryExec(c, std::string("PRAGMA wal_checkpoint(") + modes[i % 4] + ")", message);
      if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) ++failed_checkpoints;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  for (int i = 0; i < 600; ++i) {
    const int from = 1 + (i * 7) % 400;
    const int to = 1 + (i * 13 + 5) % 400;
    CommitRetryingBusy(
        writer,
        "BEGIN IMMEDIATE; UPDATE account SET balance = balance - 3, pad = randomblob(3000) "
        "WHERE id = " +
            std::to_string(from) +
            "; UPDATE account SET balance = balance + 3 WHERE id = " + std::to_string(to) +
            (i % 10 == 0 ? "; INSERT INTO account (balance, pad) VALUES (0, randomblob(3000))"
                         : "") +
            "; COMMIT");
  }
  // Let the readers go on over a settled WAL too.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (sums.load() < 60 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  done = true;
  for (auto& t : readers) t.join();
  checkpointer.join();
  CHECK(bad_sums.load() == 0);
  CHECK(failed_checkpoints.load() == 0);
  CHECK(sums.load() >= 60);
  CHECK(One(writer, "SELECT sum(balance) FROM account") == total);
  CHECK(One(writer, "SELECT count(*) FROM account") == 460);
}

TEST_CASE("shared map vfs: a file that shrinks (VACUUM) is read correctly afterwards") {
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  Connection writer(path, Durability::kNormal);
  Connection reader(path, Durability::kNormal);
  Exec(writer,
       "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB);"
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
       "INSERT INTO t SELECT i, randomblob(3000) FROM n;"
       "PRAGMA wal_checkpoint(TRUNCATE)");
  CHECK(One(reader, "SELECT sum(length(v)) FROM t") == 2000 * 3000);
  const int64_t big = One(writer, "PRAGMA page_count");
  Exec(writer, "DELETE FROM t WHERE id > 100; VACUUM; PRAGMA wal_checkpoint(TRUNCATE)");
  CHECK(One(writer, "PRAGMA page_count") < big / 10);
  // The reader's old pages were past the new end of the file: it reads only what is there now.
  CHECK(One(reader, "SELECT count(*) FROM t") == 100);
  CHECK(One(reader, "SELECT sum(length(v)) FROM t") == 100 * 3000);
  // And the file grows again through the same mapping.
  Exec(writer,
       "WITH RECURSIVE n(i) AS (SELECT 101 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
       "INSERT INTO t SELECT i, randomblob(3000) FROM n;"
       "PRAGMA wal_checkpoint(TRUNCATE)");
  CHECK(One(reader, "SELECT sum(length(v)) FROM t") == 1500 * 3000);
  CHECK(One(reader, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") ==
        1);
}

// The database file and its WAL as a crash would leave them now, opened without this VFS (and
// so recovered from the WAL alone): rows of t, or -1 if the copy is not a sound database.
int64_t RowsAfterCrash(const std::string& path, const std::string& copy_dir) {
  namespace fs = std::filesystem;
  const std::string copy = copy_dir + "/copy.sqlite";
  fs::remove(copy);
  fs::remove(copy + "-wal");
  fs::remove(copy + "-shm");
  fs::copy_file(path, copy);
  if (fs::exists(path + "-wal")) fs::copy_file(path + "-wal", copy + "-wal");
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(copy.c_str(), &db, SQLITE_OPEN_READWRITE, "unix") == SQLITE_OK);
  int64_t rows = -1;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT (SELECT count(*) FROM t) * (integrity_check = 'ok') "
                         "FROM pragma_integrity_check",
                         -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int64(stmt, 0) > 0) {
    rows = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

TEST_CASE("shared map vfs: what a commit wrote is in the WAL file when COMMIT returns") {
  // The VFS holds a transaction's WAL frames until its commit frame (wal_write_buffer.h): a
  // copy of the files taken right after each COMMIT, as a crash would leave them, must hold
  // every committed row. Transactions of one page, of many pages, larger than the page cache
  // (SQLite writes frames before the commit, rewrites some in place and their checksums) and
  // rolled back after writing frames.
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  Connection writer(path, Durability::kNormal);
  Connection reader(path, Durability::kNormal);
  Exec(writer, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
  int64_t rows = 0;
  auto insert = [&](int n, int bytes) {
    return "INSERT INTO t (v) SELECT randomblob(" + std::to_string(bytes) +
           ") FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
           std::to_string(n) + ") SELECT i FROM n)";
  };
  for (int i = 0; i < 5; ++i) {
    Exec(writer, insert(1, 10));
    ++rows;
    CHECK(RowsAfterCrash(path, dir.path()) == rows);
    Exec(writer, "BEGIN; " + insert(40, 1000) + "; COMMIT");
    rows += 40;
    CHECK(RowsAfterCrash(path, dir.path()) == rows);
  }
  // Larger than a page cache of 10 pages: frames go to the WAL before the commit, and pages
  // changed again are rewritten in place.
  Exec(writer, "PRAGMA cache_size = 10");
  Exec(writer, "BEGIN; " + insert(300, 2000) +
                   "; UPDATE t SET v = randomblob(2100) WHERE id % 3 = 0; " + insert(50, 500) +
                   "; COMMIT");
  rows += 350;
  CHECK(RowsAfterCrash(path, dir.path()) == rows);
  CHECK(One(reader, "SELECT count(*) FROM t") == rows);
  Exec(writer, "BEGIN; " + insert(300, 2000) + "; ROLLBACK");
  CHECK(RowsAfterCrash(path, dir.path()) == rows);
  Exec(writer, insert(3, 100));
  rows += 3;
  CHECK(RowsAfterCrash(path, dir.path()) == rows);
  CHECK(One(reader, "SELECT count(*) FROM t") == rows);
  // Through a checkpoint and the WAL starting over.
  Exec(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
  Exec(writer, "BEGIN; " + insert(20, 3000) + "; COMMIT");
  rows += 20;
  CHECK(RowsAfterCrash(path, dir.path()) == rows);
  CHECK(One(reader, "SELECT count(*) FROM t") == rows);
}

// A scratch database with a table `t` holding one row of five pages, all in the WAL: its writer
// and a checkpointer connection whose syncs of the database file are deferred.
struct DeferringCheckpointer {
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  const std::string wal = path + "-wal";
  Connection writer{path, Durability::kNormal};
  Connection checkpointer{path, Durability::kNormal};
  DeferringCheckpointer() {
    Exec(writer, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (v BLOB)");
    REQUIRE(sqlite3_file_control(checkpointer.handle(), "main", kDeferDatabaseSyncs, nullptr) ==
            SQLITE_OK);
    Exec(writer, "INSERT INTO t VALUES (randomblob(20000))");
  }
};

TEST_CASE("shared map vfs: the writer starts the WAL over only once deferred copies are synced") {
  // A checkpoint on a connection deferring its syncs copies the WAL into the database file
  // and leaves the sync owed; until it is paid the WAL's frames are the only durable copy, so
  // the writer (kRestartOnlyWhenSynced) must go on appending instead of starting over.
  DeferringCheckpointer db;
  Connection& writer = db.writer;
  Connection& checkpointer = db.checkpointer;
  const std::string& wal = db.wal;
  REQUIRE(sqlite3_file_control(writer.handle(), "main", kRestartOnlyWhenSynced, nullptr) ==
          SQLITE_OK);
  const uint32_t restarts = testing::WalRestarts(wal);
  const auto wal_size = std::filesystem::file_size(wal);
  // Every frame copied, the sync owed: the next write appends.
  CHECK(One(checkpointer, "PRAGMA wal_checkpoint(PASSIVE)") == 0);
  Exec(writer, "INSERT INTO t VALUES (randomblob(100))");
  CHECK(testing::WalRestarts(wal) == restarts);
  CHECK(std::filesystem::file_size(wal) > wal_size);
  // Copied again and paid: the next write starts the WAL over.
  CHECK(One(checkpointer, "PRAGMA wal_checkpoint(PASSIVE)") == 0);
  const int64_t paid = DeferredSyncsPaid();
  CHECK(sqlite3_file_control(checkpointer.handle(), "main", kPayDatabaseSync, nullptr) ==
        SQLITE_OK);
  CHECK(DeferredSyncsPaid() == paid + 1);
  // Nothing owed now: paying again syncs nothing.
  CHECK(sqlite3_file_control(checkpointer.handle(), "main", kPayDatabaseSync, nullptr) ==
        SQLITE_OK);
  CHECK(DeferredSyncsPaid() == paid + 1);
  Exec(writer, "INSERT INTO t VALUES (randomblob(100))");
  CHECK(testing::WalRestarts(wal) == restarts + 1);
  CHECK(One(writer, "SELECT count(*) FROM t") == 3);
}

TEST_CASE("shared map vfs: a sync made now settles an owed one, and syncs when none is owed") {
  // kSyncDatabaseNow: a restart's preparation syncs the copies off the writer before SQLite
  // asks for it (it asks only after a pass that copied everything).
  DeferringCheckpointer db;
  REQUIRE(sqlite3_file_control(db.writer.handle(), "main", kRestartOnlyWhenSynced, nullptr) ==
          SQLITE_OK);
  const uint32_t restarts = testing::WalRestarts(db.wal);
  CHECK(One(db.checkpointer, "PRAGMA wal_checkpoint(PASSIVE)") == 0);  // the sync is owed
  const int64_t paid = DeferredSyncsPaid();
  CHECK(sqlite3_file_control(db.checkpointer.handle(), "main", kSyncDatabaseNow, nullptr) ==
        SQLITE_OK);
  CHECK(DeferredSyncsPaid() == paid + 1);
  // Settled: paying finds nothing owed, and the writer's next write starts the WAL over.
  CHECK(sqlite3_file_control(db.checkpointer.handle(), "main", kPayDatabaseSync, nullptr) ==
        SQLITE_OK);
  CHECK(DeferredSyncsPaid() == paid + 1);
  Exec(db.writer, "INSERT INTO t VALUES (randomblob(100))");
  CHECK(testing::WalRestarts(db.wal) == restarts + 1);
  // Nothing owed: it syncs all the same.
  CHECK(sqlite3_file_control(db.checkpointer.handle(), "main", kSyncDatabaseNow, nullptr) ==
        SQLITE_OK);
  CHECK(DeferredSyncsPaid() == paid + 2);
}

TEST_CASE(
    "shared map vfs: a paced writeback goes through the range asked and says where to go on") {
  DeferringCheckpointer db;
  // About 200 KB more, so the file spans several slices; copied into it, unsynced.
  Exec(db.writer,
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
       "INSERT INTO t SELECT randomblob(20000) FROM n");
  CHECK(One(db.checkpointer, "PRAGMA wal_checkpoint(PASSIVE)") == 0);
  const auto size = static_cast<int64_t>(std::filesystem::file_size(db.path));
  REQUIRE(size > 2 * kWritebackSliceBytes);
  auto write_back = [&](int64_t next, int64_t bytes) {
    DatabaseWriteback w{next, bytes};
    REQUIRE(sqlite3_file_control(db.checkpointer.handle(), "main", kWriteBackDatabase, &w) ==
            SQLITE_OK);
    return w.next;
  };
  // Part of the file, then the rest: `next` is where the first stopped, then 0 (the end).
  const int64_t half = size / 2;
  CHECK(write_back(0, half) == half);
  CHECK(write_back(half, size) == 0);
  // No argument: refused, not dereferenced.
  CHECK(sqlite3_file_control(db.checkpointer.handle(), "main", kWriteBackDatabase, nullptr) ==
        SQLITE_MISUSE);
  // Nothing asked, nothing done; a range past the end is the end.
  CHECK(write_back(half, 0) == half);
  CHECK(write_back(size + 4096, 4096) == 0);
  // The file is unchanged by it, and still owes its sync (a writeback makes nothing durable).
  CHECK(One(db.writer, "SELECT count(*) FROM t") == 11);
  const int64_t paid = DeferredSyncsPaid();
  CHECK(sqlite3_file_control(db.checkpointer.handle(), "main", kPayDatabaseSync, nullptr) ==
        SQLITE_OK);
  CHECK(DeferredSyncsPaid() == paid + 1);
}

TEST_CASE("shared map vfs: a TRUNCATE checkpoint pays an owed sync before it empties the WAL") {
  DeferringCheckpointer db;
  CHECK(One(db.checkpointer, "PRAGMA wal_checkpoint(PASSIVE)") == 0);
  const int64_t paid = DeferredSyncsPaid();
  // Another connection (not the writer's restart): the sync is paid, then the WAL emptied.
  CHECK(One(db.writer, "PRAGMA wal_checkpoint(TRUNCATE)") == 0);
  CHECK(DeferredSyncsPaid() == paid + 1);
  CHECK(std::filesystem::file_size(db.wal) == 0);
  CHECK(One(db.writer, "SELECT count(*) FROM t") == 1);
}

TEST_CASE("shared map vfs: the last connection's close pays an owed sync before the WAL goes") {
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  int64_t paid = 0;
  {
    Connection checkpointer(path, Durability::kNormal);
    REQUIRE(sqlite3_file_control(checkpointer.handle(), "main", kDeferDatabaseSyncs, nullptr) ==
            SQLITE_OK);
    Connection writer(path, Durability::kNormal);
    Exec(writer, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (v BLOB)");
    Exec(writer, "INSERT INTO t VALUES (randomblob(20000))");
    CHECK(One(checkpointer, "PRAGMA wal_checkpoint(PASSIVE)") == 0);
    paid = DeferredSyncsPaid();
  }  // the last close checkpoints, then deletes the WAL: the owed sync is paid first
  CHECK(DeferredSyncsPaid() == paid + 1);
  CHECK_FALSE(std::filesystem::exists(path + "-wal"));
  Connection reopened(path, Durability::kNormal);
  CHECK(One(reopened, "SELECT count(*) FROM t") == 1);
}

}  // namespace ib::storage::shared_map_vfs_test
