// The database file as the operating system sees it: it holds the JWT secret, so it and the
// directories we create for it are private to the owner, a looser existing file is warned
// about, and one file is served by one process at a time (a second server is refused).
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/e2e/support/server_process.h"
#include "tests/support/scratch_dir.h"

using ib::e2e::ServerProcess;

namespace {

unsigned ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE_MESSAGE(::stat(path.c_str(), &st) == 0, path);
  return st.st_mode & 07777;
}

std::string ServerLog(const ServerProcess& server) {
  std::ifstream in(server.dir() + "/server.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> ServeArgs(const std::string& db) {
  return {"serve", "--db", db, "--port", "0", "--jwt-secret", ib::e2e::kTestSecret};
}

}  // namespace

TEST_CASE("db file: a fresh database, its WAL files and the directories we create are private") {
  ib::testing::ScratchDir scratch;  // outlives the servers started on a file inside it
  const std::string db = scratch.path() + "/made/by/us/test.db";
  ServerProcess server({}, db);
  // A write, so the WAL holds pages of the file.
  CHECK(server.Send("GET", "/health", "").status == 200);
  CHECK(ModeOf(db) == 0600);
  CHECK(ModeOf(db + "-wal") == 0600);
  CHECK(ModeOf(db + "-shm") == 0600);
  CHECK(ModeOf(scratch.path() + "/made") == 0700);
  CHECK(ModeOf(scratch.path() + "/made/by") == 0700);
  CHECK(ModeOf(scratch.path() + "/made/by/us") == 0700);
  // An existing directory is not ours to change.
  CHECK(ModeOf(scratch.path()) == 0700);
  CHECK(ServerLog(server).find("warning") == std::string::npos);
}

TEST_CASE("db file: an existing database readable by others is served, with a warning") {
  ib::testing::ScratchDir scratch;  // outlives the servers started on a file inside it
  const std::string db = scratch.path() + "/loose.db";
  { ServerProcess first({}, db); }
  REQUIRE(::chmod(db.c_str(), 0644) == 0);
  ServerProcess again({}, db);
  const std::string log = ServerLog(again);
  CHECK(log.find("warning: " + db + " is open to group or others (mode 0644)") !=
        std::string::npos);
  CHECK(log.find("chmod 600 " + db) != std::string::npos);
  CHECK(ModeOf(db) == 0644);  // reported, not changed behind the owner's back
  CHECK(again.Send("GET", "/health", "").status == 200);

  // Positive control: the same file made private starts without the warning.
  again.Stop();
  REQUIRE(::chmod(db.c_str(), 0600) == 0);
  ServerProcess tight({}, db);
  CHECK(ServerLog(tight).find("warning") == std::string::npos);
}

TEST_CASE("db file: a database served by a running server is refused to a second one") {
  ib::testing::ScratchDir scratch;  // outlives the servers started on a file inside it
  const std::string db = scratch.path() + "/shared.db";
  ServerProcess first({}, db);

  auto second = ib::e2e::RunBinary(ServeArgs(db));
  CHECK(second.status == 1);
  CHECK(second.output.find("database " + db + " is already served by another running") !=
        std::string::npos);
  CHECK(second.output.find("listening on") == std::string::npos);
  // The same file through another path (a symlink) is the same file.
  const std::string link = scratch.path() + "/alias.db";
  std::filesystem::create_symlink(db, link);
  auto through_link = ib::e2e::RunBinary(ServeArgs(link));
  CHECK(through_link.status == 1);
  CHECK(through_link.output.find("already served") != std::string::npos);
  // The first server was not disturbed.
  CHECK(first.Send("GET", "/health", "").status == 200);

  // Positive control: another file starts while the first one is served.
  ServerProcess other({}, scratch.path() + "/other.db");
  CHECK(other.Send("GET", "/health", "").status == 200);

  // Once the first server stopped, the file is free again.
  CHECK(first.Stop() == 0);
  ServerProcess after({}, db);
  CHECK(after.Send("GET", "/health", "").status == 200);
}
