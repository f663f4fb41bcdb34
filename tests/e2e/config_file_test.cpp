// --config FILE end to end: a value from the file reaches the running server, a flag overrides
// it, and a broken file stops the binary with the file and line.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "tests/e2e/support/server_process.h"
#include "tests/support/scratch_dir.h"

namespace {

// Writes `text` to `name` in `dir` (removed with the directory when the test ends).
std::string WriteConfig(const ib::testing::ScratchDir& dir, const std::string& name,
                        const std::string& text) {
  std::string path = dir.path() + "/" + name;
  std::ofstream(path) << text;
  chmod(path.c_str(), 0600);
  return path;
}

// A body of 300 bytes: past a 100-byte --max-body-size, well under the default.
int PostStatus(const ib::e2e::ServerProcess& server) {
  const std::string body = R"({"title":")" + std::string(280, 'x') + R"("})";
  return server
      .Send("POST", "/rest/v1/interviews", server.service_key(), body,
            {{"Content-Type", "application/json"}})
      .status;
}

}  // namespace

TEST_CASE("config file: a value from --config reaches the server and a flag overrides it") {
  ib::testing::ScratchDir dir;
  const std::string path = WriteConfig(dir, "ib.conf", "# body limit\nmax-body-size = 100\n");
  {
    ib::e2e::ServerProcess from_file({"--config", path});
    CHECK(PostStatus(from_file) == 413);
  }
  {
    ib::e2e::ServerProcess overridden({"--config", path, "--max-body-size", "1MB"});
    CHECK(PostStatus(overridden) != 413);
  }
}

TEST_CASE("config file: an unknown key stops the binary with the file and line") {
  ib::testing::ScratchDir dir;
  const std::string path = WriteConfig(dir, "bad.conf", "port = 0\nmax-body = 100\n");
  auto bad = ib::e2e::RunBinary({"serve", "--db", ":memory:", "--config", path});
  CHECK(bad.status == 2);
  CHECK(bad.output.find(path + ":2: unknown setting 'max-body'") != std::string::npos);
  // Positive control: the same file without the bad line is accepted (--help stops right after
  // parsing, exit 0).
  std::ofstream(path) << "port = 0\n";
  auto good = ib::e2e::RunBinary({"serve", "--db", ":memory:", "--config", path, "--help"});
  CHECK(good.status == 0);
}
