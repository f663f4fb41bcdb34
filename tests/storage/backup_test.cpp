// Backup: a consistent, self-contained copy of a database file with every table's rows,
// appearing under its name only once complete; refusals leave nothing behind.
#include "storage/backup.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "storage/db_check.h"
#include "storage/error.h"
#include "storage/migrator.h"
#include "tests/support/sample_db.h"
#include "tests/support/scratch_dir.h"

namespace ib::storage {
namespace {

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

size_t FilesIn(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST_CASE("backup: the copy holds every table's rows and the object bytes, in one file") {
  testing::ScratchDir dir;
  const std::string src = dir.path() + "/src.db";
  const std::string out = dir.path() + "/out.db";
  testing::MakeSampleDb(src);
  const int64_t bytes = BackupFile(src, out);
  CHECK(bytes > 300000);
  CHECK_FALSE(Exists(out + "-wal"));  // self-contained: rollback journal mode
  CHECK(FilesIn(dir.path()) == 2);    // no temporary left beside it
  CHECK(CheckDatabase(out, testing::KnownSchemaVersion()).ok());

  testing::TestDb copy(out);
  CHECK(copy.Count("auth_users") == 1);
  CHECK(copy.Count("interview_sessions") == 1);
  CHECK(copy.Scalar("SELECT value FROM ib_settings WHERE key = 'sample'") ==
        SqlValue(std::string("kept")));
  CHECK(copy.Scalar("SELECT sum(length(data)) FROM storage_object_chunks") ==
        SqlValue(int64_t{300000}));
}

TEST_CASE("backup: a copy taken while the source is open holds its committed rows") {
  testing::ScratchDir dir;
  const std::string src = dir.path() + "/src.db";
  const std::string out = dir.path() + "/out.db";
  testing::TestDb served(src);  // holds the file's lock, as a server does
  served.Exec("INSERT INTO ib_settings (key, value) VALUES ('live', 'yes')");
  BackupFile(src, out);
  served.Exec("INSERT INTO ib_settings (key, value) VALUES ('after', 'no')");
  testing::TestDb copy(out);
  CHECK(copy.Scalar("SELECT count(*) FROM ib_settings WHERE key = 'live'") == SqlValue(int64_t{1}));
  CHECK(copy.Scalar("SELECT count(*) FROM ib_settings WHERE key = 'after'") ==
        SqlValue(int64_t{0}));
}

TEST_CASE("backup: refusals and failures leave no file under the output's name") {
  testing::ScratchDir dir;
  const std::string src = dir.path() + "/src.db";
  testing::MakeSampleDb(src);
  // A missing source is not created.
  CHECK_THROWS_AS(BackupFile(dir.path() + "/missing.db", dir.path() + "/o.db"), Error);
  CHECK_FALSE(Exists(dir.path() + "/missing.db"));
  CHECK_FALSE(Exists(dir.path() + "/o.db"));
  // The source onto itself.
  CHECK_THROWS_AS(BackupFile(src, src), Error);
  CHECK(CheckDatabase(src, testing::KnownSchemaVersion()).ok());
  // An output directory that does not exist.
  CHECK_THROWS_AS(BackupFile(src, dir.path() + "/no/such/dir/o.db"), Error);
  // A source that is not a database: nothing is written.
  const std::string junk = dir.path() + "/junk.db";
  std::ofstream(junk) << std::string(8192, 'x');
  CHECK_THROWS_AS(BackupFile(junk, dir.path() + "/o.db"), Error);
  CHECK_FALSE(Exists(dir.path() + "/o.db"));
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = e.path().filename().string();
    CHECK_MESSAGE(name.rfind("o.db", 0) != 0, name);  // no output, no temporary beside it
  }
}

TEST_CASE("backup: an unlinked backup is readable through its descriptor only") {
  testing::ScratchDir dir;
  const std::string src = dir.path() + "/src.db";
  testing::MakeSampleDb(src);
  const int fd = BackupToUnlinkedFile(src);
  REQUIRE(fd >= 0);
  struct stat st {};
  REQUIRE(::fstat(fd, &st) == 0);
  CHECK(st.st_size > 300000);
  CHECK(st.st_nlink == 0);
  ::close(fd);
  CHECK(FilesIn(dir.path()) == 1);
}

}  // namespace
}  // namespace ib::storage
