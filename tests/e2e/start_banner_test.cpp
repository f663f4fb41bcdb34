// What `serve` prints on standard output, with the real binary: the full banner (keys, a URL
// per service, the database with its size), and --quiet's single listening line. Each run is
// ended after 1.5 s by timeout(1)'s SIGTERM, which the server answers with a clean exit.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

namespace {

// Standard output of `serve` (standard error dropped) over 1.5 s; `db` and `flags` hold no
// shell metacharacters.
std::string ServeBriefly(const std::string& db, const std::string& flags) {
  const std::string command = std::string("/usr/bin/timeout --preserve-status -s TERM 1.5 ") +
                              IB_BINARY + " serve --port 0 --log-requests false --db " + db + " " +
                              flags + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // a clean stop on SIGTERM
  return out;
}

}  // namespace

TEST_CASE("banner: keys, each service's URL and the database's path, size and version") {
  const auto dir = std::filesystem::temp_directory_path() / "ib-e2e-banner";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "banner.db").string();
  const std::string out = ServeBriefly(db, "");
  std::smatch m;
  REQUIRE(std::regex_search(out, m, std::regex(R"(^listening on (http://127\.0\.0\.1:\d+)\n)")));
  const std::string url = m[1];
  CHECK(std::regex_search(out, std::regex(R"(\nanon key: ey[\w.-]+\n)")));
  CHECK(std::regex_search(out, std::regex(R"(\nservice_role key: ey[\w.-]+\n)")));
  CHECK(out.find("  REST       " + url + "/rest/v1\n") != std::string::npos);
  CHECK(out.find("  Auth       " + url + "/auth/v1\n") != std::string::npos);
  CHECK(out.find("  Storage    " + url + "/storage/v1\n") != std::string::npos);
  CHECK(out.find("  Realtime   ws" + url.substr(4) + "/realtime/v1\n") != std::string::npos);
  CHECK(out.find("  Dashboard  " + url + "/_/\n") != std::string::npos);
  CHECK(std::regex_search(
      out, std::regex("  database   " + db + R"( \([0-9.]+ [kM]?B, schema version \d+\)\n)")));
  // A second start on the now existing file says the same.
  CHECK(std::regex_search(ServeBriefly(db, ""), std::regex("  database   " + db + " ")));
  std::filesystem::remove_all(dir);
}

TEST_CASE("banner: --quiet prints the listening line and nothing else") {
  const std::string out = ServeBriefly(":memory:", "--quiet");
  CHECK(std::regex_match(out, std::regex(R"(listening on http://127\.0\.0\.1:\d+\n)")));
  // Positive control: the same start without --quiet prints the keys.
  CHECK(ServeBriefly(":memory:", "").find("anon key: ") != std::string::npos);
}
