// Checkpointer: the writer's commits wake it once the WAL passes its threshold, and it copies
// the WAL back into the database file on its own thread.
#include "storage/checkpointer.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
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
    Checkpointer checkpointer(path, Durability::kNormal);
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

}  // namespace
}  // namespace ib::storage
