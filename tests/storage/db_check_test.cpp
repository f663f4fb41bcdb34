// CheckDatabase: a sound database of ours passes; damage, foreign files, a newer schema and
// missing or orphan object chunks are each reported as a problem.
#include "storage/db_check.h"

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "storage/migrator.h"
#include "tests/support/sample_db.h"
#include "tests/support/scratch_dir.h"

namespace ib::storage {
namespace {

bool Mentions(const CheckReport& r, const std::string& text) {
  return r.ToString().find(text) != std::string::npos;
}

// Runs SQL on the file with foreign keys off (to plant damage the schema would refuse).
void Plant(const std::string& path, const std::string& sql) {
  Connection conn(path, Durability::kNormal);
  Executor(conn).Exec("PRAGMA foreign_keys=OFF");
  Executor(conn).Exec(sql.c_str());
}

TEST_CASE("check: a sound database passes, with a line per check") {
  testing::ScratchDir dir;
  const std::string db = dir.path() + "/ok.db";
  testing::MakeSampleDb(db);
  const CheckReport r = CheckDatabase(db, testing::KnownSchemaVersion());
  CHECK(r.ok());
  CHECK(r.schema_version == testing::KnownSchemaVersion());
  for (const char* line : {"integrity_check: ok", "foreign_key_check: ok", "storage chunks: ok",
                           "(current)", "result: ok"}) {
    CHECK_MESSAGE(Mentions(r, line), line);
  }
}

TEST_CASE("check: missing and orphan chunks, objects without content, broken keys") {
  testing::ScratchDir dir;
  const std::string db = dir.path() + "/chunks.db";
  testing::MakeSampleDb(db);
  SUBCASE("a missing last chunk") {
    Plant(db, "DELETE FROM storage_object_chunks WHERE idx = 1");
    const CheckReport r = CheckDatabase(db, testing::KnownSchemaVersion());
    CHECK_FALSE(r.ok());
    CHECK(Mentions(r, "object interview-audio/a/b.webm should hold 300000 bytes, its 1 chunks"));
  }
  SUBCASE("a missing first chunk") {
    Plant(db, "DELETE FROM storage_object_chunks WHERE idx = 0");
    CHECK(Mentions(CheckDatabase(db, testing::KnownSchemaVersion()), "missing chunks"));
  }
  SUBCASE("orphan chunks") {
    Plant(db, "INSERT INTO storage_object_chunks (content_id, idx, data) VALUES (99, 0, x'00')");
    const CheckReport r = CheckDatabase(db, testing::KnownSchemaVersion());
    CHECK(Mentions(r, "1 orphan chunks of content 99"));
    CHECK(Mentions(r, "foreign key: row"));
  }
  SUBCASE("an object without content") {
    Plant(db, "DELETE FROM storage_contents");
    CHECK(Mentions(CheckDatabase(db, testing::KnownSchemaVersion()),
                   "object interview-audio/a/b.webm has no content"));
  }
  SUBCASE("an unattached upload is a note, not a problem") {
    Plant(db, "INSERT INTO storage_contents (object_id, size) VALUES (NULL, 0)");
    const CheckReport r = CheckDatabase(db, testing::KnownSchemaVersion());
    CHECK(r.ok());
    CHECK(Mentions(r, "1 unattached upload contents"));
  }
}

TEST_CASE("check: damaged, foreign, newer and missing files are problems") {
  testing::ScratchDir dir;
  const std::string db = dir.path() + "/x.db";
  SUBCASE("flipped bytes in the middle of the file") {
    testing::MakeSampleDb(db);
    // The b-tree page of a table, so the damage is to structure (blob bytes carry no checksum).
    int64_t root = 0;
    {
      testing::TestDb t(db);
      root = std::get<int64_t>(
          t.Scalar("SELECT rootpage FROM sqlite_master WHERE name = 'auth_users'"));
    }
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * 4096);
    f.write(std::string(64, '\x5a').data(), 64);
    f.close();
    const CheckReport r = CheckDatabase(db, testing::KnownSchemaVersion());
    CHECK_FALSE(r.ok());
    CHECK_FALSE(Mentions(r, "result: ok"));
  }
  SUBCASE("not SQLite at all") {
    std::ofstream(db) << std::string(8192, 'x');
    CHECK(Mentions(CheckDatabase(db, testing::KnownSchemaVersion()),
                   "sqlite: file is not a database"));
  }
  SUBCASE("a SQLite database of someone else") {
    Plant(db, "CREATE TABLE notes (body TEXT)");
    CHECK(Mentions(CheckDatabase(db, testing::KnownSchemaVersion()), "not an interviewbase one"));
  }
  SUBCASE("a schema newer than this binary") {
    testing::MakeSampleDb(db);
    Plant(db, "PRAGMA user_version = " + std::to_string(testing::KnownSchemaVersion() + 1));
    const CheckReport r = CheckDatabase(db, testing::KnownSchemaVersion());
    CHECK(Mentions(r, "is newer than this binary knows"));
    CHECK(r.schema_version == testing::KnownSchemaVersion() + 1);
  }
  SUBCASE("no file") {
    CHECK(Mentions(CheckDatabase(dir.path() + "/none.db", testing::KnownSchemaVersion()),
                   "No such file"));
  }
}

}  // namespace
}  // namespace ib::storage
