// The binary as a user meets it: flags, the listening line, keys, restarts, shutdown, health,
// and the first REST slice (insert then read back every column type; refusals leave the table
// unchanged).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/e2e/support/server_process.h"

using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

TEST_CASE("binary: --help and --version exit 0") {
  auto help = ib::e2e::RunBinary({"--help"});
  CHECK(help.status == 0);
  CHECK(help.output.find("--jwt-secret") != std::string::npos);
  auto version = ib::e2e::RunBinary({"--version"});
  CHECK(version.status == 0);
  CHECK(version.output.rfind("interviewbase ", 0) == 0);
  CHECK(version.output.find('.') != std::string::npos);
}

TEST_CASE("binary: a short --jwt-secret or IB_JWT_SECRET is a clear error with exit code 2") {
  auto flag = ib::e2e::RunBinary({"serve", "--db", ":memory:", "--jwt-secret", "too-short"});
  CHECK(flag.status == 2);
  CHECK(flag.output.find("at least 32 characters") != std::string::npos);
  auto env = ib::e2e::RunBinary({"serve", "--db", ":memory:"}, {"IB_JWT_SECRET=short"});
  CHECK(env.status == 2);
  auto unknown = ib::e2e::RunBinary({"serve", "--bogus", "1"});
  CHECK(unknown.status == 2);
}

TEST_CASE("binary: prints the listening line and keys, serves /health") {
  ServerProcess server;
  CHECK(server.port() > 0);
  CHECK(server.stdout_text().rfind("listening on http://127.0.0.1:", 0) == 0);
  CHECK_FALSE(server.anon_key().empty());
  Reply health = server.Send("GET", "/health", "");
  CHECK(health.status == 200);
  CHECK(health.json()["status"] == "ok");
  CHECK(health.json()["schema_version"].get<int>() >= 1);
}

TEST_CASE("binary: the release build allocates with jemalloc, the sanitizer builds without it") {
  // Linked as the executable's first allocator, jemalloc's malloc is the one every library of
  // the process (SQLite, httplib) resolves to. The sanitizer builds must not load it: their
  // runtime intercepts malloc itself.
  ServerProcess server;
  std::ifstream maps("/proc/" + std::to_string(server.pid()) + "/maps");
  REQUIRE(maps.good());
  bool jemalloc_mapped = false;
  for (std::string line; std::getline(maps, line);) {
    if (line.find("/libjemalloc.so") != std::string::npos) jemalloc_mapped = true;
  }
#ifdef IB_SERVER_LINKS_JEMALLOC
  CHECK(jemalloc_mapped);
#else
  CHECK_FALSE(jemalloc_mapped);
#endif
  CHECK(server.Send("GET", "/health", "").status == 200);
}

TEST_CASE("binary: keys are a pure function of the secret - a generated secret survives restarts") {
  std::string db;
  std::string anon, service;
  {
    // The same secret on two fresh databases prints byte-identical keys.
    ServerProcess a;
    ServerProcess b;
    CHECK(a.anon_key() == b.anon_key());
    CHECK(a.service_key() == b.service_key());
  }
  char tmpl[] = "/tmp/ib-e2e-keys-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  db = std::string(tmpl) + "/keys.db";
  // Start without a secret twice on the same file: the generated secret is kept.
  std::string keys[2];
  for (auto& k : keys) {
    int out[2];
    REQUIRE(pipe(out) == 0);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(out[1], 1);
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 2);
      close(out[0]);
      close(out[1]);
      execl(IB_BINARY, IB_BINARY, "serve", "--db", db.c_str(), "--port", "0", "--log-requests",
            "false", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[4096];
    while (std::fgets(line, sizeof line, f)) {
      std::string s(line);
      if (s.rfind("anon key: ", 0) == 0) {
        k = s;
        break;
      }
    }
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    std::fclose(f);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  CHECK_FALSE(keys[0].empty());
  CHECK(keys[0] == keys[1]);
  std::filesystem::remove_all(tmpl);
}

TEST_CASE("binary: SIGTERM and SIGINT stop the server with exit code 0") {
  for (int sig : {SIGTERM, SIGINT}) {
    ServerProcess server;
    auto start = std::chrono::steady_clock::now();
    CHECK(server.Stop(sig) == 0);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
}

namespace {

json FullSession(const std::string& uid) {
  return {{"user_id", uid},
          {"title", "System design — ünïcode 🎤"},
          {"description", nullptr},
          {"interview_type", "text"},
          {"status", "in_progress"},
          {"metadata", {{"company", "Acme"}, {"levels", {1, 2, {{"deep", true}}}}}},
          {"questions", json::array({"q1", "q2", "q3", "q4", "q5"})},
          {"started_at", "2024-05-01T12:00:00.5+05:30"},
          {"duration_minutes", 45},
          {"overall_score", 87.456},
          {"feedback", {{"summary", "good"}}}};
}

}  // namespace

TEST_CASE("rest slice: insert then read back a session with every column type") {
  ServerProcess server({"--password-cost", "minimal"});
  std::string uid = server.CreateUser("slice@example.com");
  const std::string& sk = server.service_key();
  Reply created =
      server.Send("POST", "/rest/v1/interview_sessions?select=*", sk, FullSession(uid).dump(),
                  {{"Prefer", "return=representation"}, {"apikey", sk}});
  REQUIRE(created.status == 201);
  json row = created.json().at(0);
  CHECK(row["id"].get<std::string>().size() == 36);
  CHECK(row["title"] == "System design — ünïcode 🎤");
  CHECK(row["metadata"]["levels"][2]["deep"] == true);
  CHECK(row["questions"].size() == 5);
  CHECK(row["started_at"] == "2024-05-01T06:30:00.500000+00:00");
  CHECK(row["duration_minutes"] == 45);
  CHECK(row["overall_score"].get<double>() == doctest::Approx(87.46));
  CHECK(created.body.find("\"overall_score\":87.46") != std::string::npos);
  CHECK(row["answers"] == json::array());
  CHECK(row["description"].is_null());
  CHECK(row["completed_at"].is_null());
  CHECK(row["created_at"].get<std::string>().size() == 32);

  Reply read = server.Send(
      "GET",
      "/rest/v1/interview_sessions?select=id,title,metadata&id=eq." + row["id"].get<std::string>(),
      sk, "", {{"apikey", sk}});
  CHECK(read.status == 200);
  json rows = read.json();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].size() == 3);
  CHECK(rows[0]["metadata"]["company"] == "Acme");
}

TEST_CASE("rest slice: bad input is refused with its code and the table is unchanged") {
  ServerProcess server({"--password-cost", "minimal"});
  std::string uid = server.CreateUser("refuse@example.com");
  const std::string& sk = server.service_key();
  httplib::Headers h = {{"apikey", sk}};
  struct Case {
    std::string path;
    std::string body;
    int status;
    std::string code;
  };
  json bad_uuid = FullSession(uid);
  bad_uuid["user_id"] = "not-a-uuid";
  json bad_time = FullSession(uid);
  bad_time["started_at"] = "2024-02-30T00:00:00Z";
  json bad_int = FullSession(uid);
  bad_int["duration_minutes"] = 3000000000LL;
  json too_long = FullSession(uid);
  too_long["title"] = std::string(256, 'x');
  json missing_title = FullSession(uid);
  missing_title.erase("title");
  json unknown_user = FullSession("00000000-0000-4000-8000-000000000000");
  json unknown_col = FullSession(uid);
  unknown_col["nope"] = 1;
  json wrong_case = FullSession(uid);
  wrong_case["Title"] = "x";
  Case cases[] = {
      {"/rest/v1/interview_sessions", "{", 400, "PGRST102"},
      {"/rest/v1/interview_sessions", "", 400, "PGRST102"},
      {"/rest/v1/interview_sessions", bad_uuid.dump(), 400, "22P02"},
      {"/rest/v1/interview_sessions", bad_time.dump(), 400, "22008"},
      {"/rest/v1/interview_sessions", bad_int.dump(), 400, "22003"},
      {"/rest/v1/interview_sessions", too_long.dump(), 400, "22001"},
      {"/rest/v1/interview_sessions", missing_title.dump(), 400, "23502"},
      {"/rest/v1/interview_sessions", unknown_user.dump(), 409, "23503"},
      {"/rest/v1/interview_sessions", unknown_col.dump(), 400, "PGRST204"},
      {"/rest/v1/interview_sessions", wrong_case.dump(), 400, "PGRST204"},
      {"/rest/v1/nosuch", "{}", 404, "PGRST205"},
      {"/rest/v1/auth_users", "{}", 404, "PGRST205"},
      {"/rest/v1/sqlite_schema", "{}", 404, "PGRST205"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    Reply r = server.Send("POST", c.path, sk, c.body, h);
    CHECK(r.status == c.status);
    json err = json::parse(r.body, nullptr, false);
    REQUIRE(err.is_object());
    CHECK(err["code"] == c.code);
    CHECK(err.contains("message"));
    CHECK(err.contains("details"));
    CHECK(err.contains("hint"));
  }
  Reply unknown_select = server.Send("GET", "/rest/v1/interview_sessions?select=nope", sk, "", h);
  CHECK(unknown_select.status == 400);
  CHECK(unknown_select.json()["code"] == "42703");
  Reply count = server.Send("GET", "/rest/v1/interview_sessions?select=id", sk, "", h);
  CHECK(count.json().size() == 0);
}

TEST_CASE("durability: restarting on the same file keeps data and keys") {
  char tmpl[] = "/tmp/ib-e2e-restart-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  std::string db = std::string(tmpl) + "/restart.db";
  std::string id, anon;
  {
    ServerProcess server({"--password-cost", "minimal"}, db);
    std::string uid = server.CreateUser("restart@example.com");
    Reply r = server.Send("POST", "/rest/v1/interview_sessions", server.service_key(),
                          FullSession(uid).dump(),
                          {{"Prefer", "return=representation"}, {"apikey", server.service_key()}});
    REQUIRE(r.status == 201);
    id = r.json()[0]["id"];
    anon = server.anon_key();
    CHECK(server.Stop(SIGKILL) == -SIGKILL);  // acknowledged writes survive a kill
  }
  ServerProcess again({}, db);
  CHECK(again.anon_key() == anon);
  Reply r = again.Send("GET", "/rest/v1/interview_sessions?id=eq." + id, again.service_key(), "",
                       {{"apikey", again.service_key()}});
  CHECK(r.status == 200);
  CHECK(r.json().size() == 1);
  std::filesystem::remove_all(tmpl);
}
