// RestoreDatabase: a checked backup replaces the target whole; a bad backup or a held target
// is refused and the target stays as it was.
#include "storage/restore.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "storage/backup.h"
#include "storage/db_check.h"
#include "storage/db_file.h"
#include "storage/error.h"
#include "storage/migrator.h"
#include "tests/support/sample_db.h"
#include "tests/support/scratch_dir.h"

namespace ib::storage {
namespace {

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

SqlValue Setting(const std::string& db, const std::string& key) {
  testing::TestDb t(db);
  return t.Scalar("SELECT coalesce((SELECT value FROM ib_settings WHERE key = ?), '')",
                  {SqlValue(key)});
}

TEST_CASE("restore: the backup replaces the target, whose WAL and old rows are gone") {
  testing::ScratchDir dir;
  const std::string backup = dir.path() + "/backup.db";
  const std::string target = dir.path() + "/target.db";
  testing::MakeSampleDb(backup);
  {
    testing::TestDb old(target);
    old.Exec("INSERT INTO ib_settings (key, value) VALUES ('old', 'row')");
  }
  CHECK(RestoreDatabase(backup, target, testing::KnownSchemaVersion()).empty());
  CHECK_FALSE(Exists(target + "-wal"));
  CHECK(CheckDatabase(target, testing::KnownSchemaVersion()).ok());
  CHECK(Setting(target, "sample") == SqlValue(std::string("kept")));
  CHECK(Setting(target, "old") == SqlValue(std::string("")));
}

TEST_CASE("restore: through a symlink, the file it names is replaced") {
  testing::ScratchDir dir;
  const std::string backup = dir.path() + "/backup.db";
  const std::string real = dir.path() + "/real.db";
  const std::string link = dir.path() + "/link.db";
  testing::MakeSampleDb(backup);
  { testing::TestDb old(real); }
  std::filesystem::create_symlink(real, link);
  RestoreDatabase(backup, link, testing::KnownSchemaVersion());
  CHECK(std::filesystem::is_symlink(link));
  CHECK(Setting(real, "sample") == SqlValue(std::string("kept")));
}

TEST_CASE("restore: into a path with no database yet") {
  testing::ScratchDir dir;
  const std::string backup = dir.path() + "/backup.db";
  testing::MakeSampleDb(backup);
  RestoreDatabase(backup, dir.path() + "/fresh.db", testing::KnownSchemaVersion());
  CHECK(Setting(dir.path() + "/fresh.db", "sample") == SqlValue(std::string("kept")));
}

TEST_CASE("restore: refusals change nothing") {
  testing::ScratchDir dir;
  const std::string good = dir.path() + "/good.db";
  const std::string target = dir.path() + "/target.db";
  testing::MakeSampleDb(good);
  {
    testing::TestDb old(target);
    old.Exec("INSERT INTO ib_settings (key, value) VALUES ('old', 'row')");
  }
  SUBCASE("a corrupt backup") {
    const std::string bad = dir.path() + "/bad.db";
    std::ofstream(bad) << std::string(8192, 'x');
    CHECK_THROWS_AS(RestoreDatabase(bad, target, testing::KnownSchemaVersion()), Error);
  }
  SUBCASE("a backup that is not ours") {
    const std::string foreign = dir.path() + "/foreign.db";
    {
      Connection c(foreign, Durability::kNormal);
      Executor(c).Exec("CREATE TABLE t (x)");
    }
    CHECK_THROWS_AS(RestoreDatabase(foreign, target, testing::KnownSchemaVersion()), Error);
  }
  SUBCASE("a target a server holds") {
    DbFile held(target);  // the lock a serving Db holds
    CHECK_THROWS_WITH_AS(RestoreDatabase(good, target, testing::KnownSchemaVersion()),
                         doctest::Contains("held by a running interviewbase server"), Error);
  }
  SUBCASE("a missing target is not left behind by a refusal") {
    const std::string bad = dir.path() + "/bad.db";
    std::ofstream(bad) << std::string(8192, 'x');
    CHECK_THROWS_AS(RestoreDatabase(bad, dir.path() + "/new.db", testing::KnownSchemaVersion()),
                    Error);
    CHECK_FALSE(Exists(dir.path() + "/new.db"));
  }
  CHECK(Setting(target, "old") == SqlValue(std::string("row")));
  CHECK(Setting(target, "sample") == SqlValue(std::string("")));
}

}  // namespace
}  // namespace ib::storage
