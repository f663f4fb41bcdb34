// Backup, check and restore with the real binary: `interviewbase backup` and POST
// /admin/v1/backup while a client keeps writing (the copy holds exactly a prefix of the
// acknowledged writes), the admin endpoint's refusals, `check` finding damage, and `restore`
// refusing bad backups and a served database and restoring otherwise.
#include <SQLiteCpp/SQLiteCpp.h>
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "tests/e2e/support/server_process.h"
#include "tests/support/scratch_dir.h"

using ib::e2e::Reply;
using ib::e2e::RunBinary;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

httplib::Headers Key(const ServerProcess& s) { return {{"apikey", s.service_key()}}; }

// Inserts one interview session titled `title` as the service; true once acknowledged.
bool InsertSession(const ServerProcess& s, const std::string& uid, const std::string& title) {
  const json row = {{"user_id", uid}, {"title", title}};
  return s.Send("POST", "/rest/v1/interview_sessions", s.service_key(), row.dump(), Key(s))
             .status == 201;
}

// The numbers n of the sessions titled "w<n>" in a database file.
std::set<int> WrittenNumbers(const std::string& db) {
  SQLite::Database file(db, SQLite::OPEN_READONLY);
  SQLite::Statement q(file, "SELECT title FROM interview_sessions WHERE title LIKE 'w%'");
  std::set<int> out;
  while (q.executeStep()) out.insert(std::stoi(q.getColumn(0).getString().substr(1)));
  return out;
}

std::string IntegrityOf(const std::string& db) {
  SQLite::Database file(db, SQLite::OPEN_READONLY);
  return file.execAndGet("PRAGMA integrity_check").getString();
}

// A client writing "w1", "w2", ... one at a time, each waiting for its answer.
class Writer {
 public:
  Writer(const ServerProcess& s, const std::string& uid)
      : thread_([this, &s, uid] {
          for (int n = 1; !stop_; ++n) {
            started_ = n;
            if (!InsertSession(s, uid, "w" + std::to_string(n))) failed_ = true;
            acked_ = n;
          }
        }) {}
  ~Writer() { Stop(); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  void WaitFor(int acked) const {
    while (acked_ < acked && !failed_) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int acked() const { return acked_; }
  int started() const { return started_; }
  bool failed() const { return failed_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
  std::atomic<int> started_{0};
  std::atomic<int> acked_{0};
  std::thread thread_;
};

// The backup holds w1..wk and nothing else, with every write acknowledged before the backup
// began among them and none begun after it ended.
void CheckPrefix(const std::string& backup, int acked_before, int started_after) {
  REQUIRE(IntegrityOf(backup) == "ok");
  const std::set<int> got = WrittenNumbers(backup);
  const int k = got.empty() ? 0 : *got.rbegin();
  CHECK(static_cast<int>(got.size()) == k);  // 1..k, no hole
  CHECK(k >= acked_before);
  CHECK(k <= started_after);
}

std::string Upload(const ServerProcess& s, const std::string& key, size_t bytes) {
  httplib::Headers h = Key(s);
  h.emplace("Content-Type", "application/octet-stream");
  return std::to_string(s.Send("POST", "/storage/v1/object/interview-audio/" + key, s.service_key(),
                               std::string(bytes, 'a'), h)
                            .status);
}

}  // namespace

TEST_CASE("backup: the command and the endpoint copy a prefix of the writes going on") {
  ib::testing::ScratchDir scratch;
  const std::string db = scratch.path() + "/live.db";
  ServerProcess server(ib::e2e::FastPasswords(), db);
  const std::string uid = server.CreateUser("writer@example.com");
  REQUIRE(Upload(server, "bulk.bin", 2 << 20) == "200");  // some pages to copy
  Writer writer(server, uid);

  writer.WaitFor(20);
  int before = writer.acked();
  const std::string out = scratch.path() + "/cli.db";
  const auto cli = RunBinary({"backup", "--db", db, out});
  int after = writer.started();
  CHECK_MESSAGE(cli.status == 0, cli.output);
  CHECK(cli.output.find("written to " + out) != std::string::npos);
  CheckPrefix(out, before, after);

  writer.WaitFor(after + 20);
  before = writer.acked();
  const Reply r = server.Send("POST", "/admin/v1/backup", server.service_key(), "", Key(server));
  after = writer.started();
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Type") == "application/octet-stream");
  const std::string streamed = scratch.path() + "/http.db";
  std::ofstream(streamed, std::ios::binary) << r.body;
  CheckPrefix(streamed, before, after);

  writer.Stop();
  CHECK_FALSE(writer.failed());
  // Every table: the auth user, the settings (the generated secret would be there; this
  // server was given one) and the object's bytes.
  SQLite::Database file(streamed, SQLite::OPEN_READONLY);
  CHECK(file.execAndGet("SELECT count(*) FROM auth_users").getInt() == 1);
  CHECK(file.execAndGet("SELECT sum(length(data)) FROM storage_object_chunks").getInt64() ==
        (2 << 20));
  // No temporary file stays beside the database or the output.
  for (const auto& e : std::filesystem::directory_iterator(scratch.path())) {
    const std::string name = e.path().filename().string();
    CHECK_MESSAGE(name.find("-XXXXXX") == std::string::npos, name);
    CHECK_MESSAGE(name.find(".partial-") == std::string::npos, name);
    CHECK_MESSAGE(name.find(".backup-") == std::string::npos, name);
  }
}

TEST_CASE("backup: the endpoint is the service role's alone") {
  ServerProcess server(ib::e2e::FastPasswords());
  const std::string user = ServerProcess::Token("authenticated", server.CreateUser("u@e.com"));
  const httplib::Headers anon = {{"apikey", server.anon_key()}};
  CHECK(server.Send("POST", "/admin/v1/backup", "", "", anon).status == 401);
  CHECK(server.Send("POST", "/admin/v1/backup", server.anon_key(), "", anon).status == 401);
  const Reply refused = server.Send("POST", "/admin/v1/backup", user, "", anon);
  CHECK(refused.status == 403);
  CHECK(refused.json()["code"] == "42501");
  // Positive control: the same request with the service key.
  const Reply ok = server.Send("POST", "/admin/v1/backup", server.service_key(), "", Key(server));
  CHECK(ok.status == 200);
  CHECK(ok.body.compare(0, 16, std::string("SQLite format 3\0", 16)) == 0);
}

TEST_CASE("backup: one at a time (409 while one streams), and none of a :memory: server") {
  ServerProcess server;
  REQUIRE(Upload(server, "big.bin", 16 << 20) == "200");  // more than the sockets buffer
  // A client that asks for a backup and reads only the first bytes: its stream stays open.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  const int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string& k = server.service_key();
  const std::string head = "POST /admin/v1/backup HTTP/1.1\r\nHost: x\r\napikey: " + k +
                           "\r\nAuthorization: Bearer " + k + "\r\nContent-Length: 0\r\n\r\n";
  REQUIRE(::send(fd, head.data(), head.size(), 0) == static_cast<ssize_t>(head.size()));
  char buf[64] = {};
  REQUIRE(::recv(fd, buf, sizeof buf - 1, 0) > 12);
  REQUIRE(std::string(buf).rfind("HTTP/1.1 200", 0) == 0);

  const Reply second = server.Send("POST", "/admin/v1/backup", k, "", Key(server));
  CHECK(second.status == 409);
  CHECK(second.json()["message"].get<std::string>().find("already running") != std::string::npos);
  // Positive control: once the first stream is gone, the next backup is served.
  ::close(fd);
  int status = 0;
  for (int i = 0; i < 200 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = server.Send("POST", "/admin/v1/backup", k, "", Key(server)).status;
  }
  CHECK(status == 200);

  ServerProcess memory({}, ":memory:");
  const Reply none = memory.Send("POST", "/admin/v1/backup", memory.service_key(), "", Key(memory));
  CHECK(none.status == 409);
  CHECK(none.json()["message"].get<std::string>().find(":memory:") != std::string::npos);
}

TEST_CASE("check: a sound database passes, a corrupted copy and a missing chunk fail") {
  ib::testing::ScratchDir scratch;
  const std::string db = scratch.path() + "/c.db";
  {
    ServerProcess server({}, db);
    REQUIRE(Upload(server, "audio.bin", 600000) == "200");  // three chunks
  }
  const auto ok = RunBinary({"check", "--db", db});
  CHECK_MESSAGE(ok.status == 0, ok.output);
  CHECK(ok.output.find("result: ok") != std::string::npos);

  const std::string broken = scratch.path() + "/broken.db";
  std::filesystem::copy_file(db, broken);
  {
    SQLite::Database file(broken, SQLite::OPEN_READONLY);
    const int root =
        file.execAndGet("SELECT rootpage FROM sqlite_master WHERE name = 'auth_users'").getInt();
    const int page = file.execAndGet("PRAGMA page_size").getInt();
    std::fstream f(broken, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(root - 1) * page);
    f.write(std::string(64, '\x5a').data(), 64);
  }
  const auto corrupt = RunBinary({"check", "--db", broken});
  CHECK(corrupt.status == 1);
  CHECK_MESSAGE(corrupt.output.find("problems:") != std::string::npos, corrupt.output);

  const std::string holed = scratch.path() + "/holed.db";
  std::filesystem::copy_file(db, holed);
  {
    SQLite::Database file(holed, SQLite::OPEN_READWRITE);
    file.exec("DELETE FROM storage_object_chunks WHERE idx = 1");
  }
  const auto missing = RunBinary({"check", "--db", holed});
  CHECK(missing.status == 1);
  CHECK_MESSAGE(missing.output.find("interview-audio/audio.bin should hold 600000 bytes, its 2 "
                                    "chunks") != std::string::npos,
                missing.output);
}

TEST_CASE("restore: refuses bad backups and a served database, restores otherwise") {
  ib::testing::ScratchDir scratch;
  const std::string db = scratch.path() + "/r.db";
  const std::string backup = scratch.path() + "/backup.db";
  auto server = std::make_unique<ServerProcess>(ib::e2e::FastPasswords(), db);
  const std::string uid = server->CreateUser("r@example.com");
  for (int n = 1; n <= 5; ++n) REQUIRE(InsertSession(*server, uid, "w" + std::to_string(n)));
  REQUIRE(RunBinary({"backup", "--db", db, backup}).status == 0);
  for (int n = 6; n <= 8; ++n) REQUIRE(InsertSession(*server, uid, "w" + std::to_string(n)));

  const auto held = RunBinary({"restore", backup, "--db", db});
  CHECK(held.status == 1);
  CHECK_MESSAGE(held.output.find("held by a running interviewbase server") != std::string::npos,
                held.output);
  server->Stop();

  const std::string junk = scratch.path() + "/junk.db";
  std::ofstream(junk) << std::string(8192, 'x');
  const auto corrupt = RunBinary({"restore", junk, "--db", db});
  CHECK(corrupt.status == 1);
  CHECK(corrupt.output.find("fails its check") != std::string::npos);

  const std::string foreign = scratch.path() + "/foreign.db";
  {
    SQLite::Database f(foreign, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    f.exec("CREATE TABLE t (x)");
  }
  const auto other = RunBinary({"restore", foreign, "--db", db});
  CHECK(other.status == 1);
  CHECK(other.output.find("not an interviewbase one") != std::string::npos);
  CHECK(WrittenNumbers(db).size() == 8);  // refusals changed nothing

  const auto restored = RunBinary({"restore", backup, "--db", db});
  CHECK_MESSAGE(restored.status == 0, restored.output);
  server = std::make_unique<ServerProcess>(ib::e2e::FastPasswords(), db);
  const Reply rows = server->Send("GET", "/rest/v1/interview_sessions?select=title&order=title",
                                  server->service_key(), "", Key(*server));
  REQUIRE(rows.status == 200);
  CHECK(rows.json() == json::parse(R"([{"title":"w1"},{"title":"w2"},{"title":"w3"},)"
                                   R"({"title":"w4"},{"title":"w5"}])"));
  // The user restored with the data can still sign in.
  CHECK(server
            ->Send("POST", "/auth/v1/token?grant_type=password", "",
                   R"({"email":"r@example.com","password":"secret123"})",
                   {{"apikey", server->anon_key()}})
            .status == 200);
}
