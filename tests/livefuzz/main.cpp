// livefuzz: starts the real server on a throwaway database, plants two users' canary rows,
// then sends mutated supabase-js requests over 2-4 keep-alive connections until the time or
// request budget runs out. Fails (exit 1) on any 5xx, lost answer, crash, canary leak, unclean
// stop, or a database whose PRAGMA integrity_check is not "ok" afterwards. See tests/README.md.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/livefuzz/generator.h"
#include "tests/livefuzz/http_conn.h"
#include "tests/livefuzz/oracle.h"
#include "tests/livefuzz/world.h"

namespace ib::livefuzz {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  double seconds = 60;
  uint64_t max_requests = 0;  // 0 = until the time runs out
  uint64_t seed = 1;
  int connections = 3;
  int max_reports = 10;
};

// What the workers share; the mutex guards `findings`, `histogram`, `families` and `kinds`.
struct Shared {
  std::atomic<uint64_t> sent{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<int, uint64_t> histogram;
  std::map<std::string, uint64_t> families;
  std::map<std::string, uint64_t> kinds;
  std::vector<std::string> findings;
  std::map<std::string, double> family_seconds;  // time spent waiting for answers, per shape
  double slowest = 0;
  std::string slowest_request;
  uint64_t stray_answers = 0;
  std::atomic<uint64_t> own_canaries{0};  // answers showing the asker's own canary
  uint64_t connections_opened = 0;
};

bool HealthOk(int port) {
  HttpConn conn(port, 10);
  Response r = conn.RoundTrip("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", false);
  return r.status == 200;
}

std::string Report(int worker, uint64_t index, const Fuzzed& f, const Response& r, Verdict v,
                   const std::string& detail) {
  std::string out = std::string(VerdictName(v)) + " (worker " + std::to_string(worker) +
                    ", request " + std::to_string(index) + ", " + WhoName(f.who) + ", " + f.family +
                    ")";
  if (!detail.empty()) out += ": " + Printable(detail, 200);
  out += "\n  request: " + f.request.Describe();
  out += "\n  answer: " + Printable(r.raw_head, 600) + "\n  body: " + Printable(r.body, 600);
  return out;
}

void Worker(int id, const Options& opt, const World& world, const std::string& secret,
            Clock::time_point deadline, Shared& shared) {
  Generator gen(world, secret, opt.seed * 1000003ULL + static_cast<uint64_t>(id));
  HttpConn conn(world.port, 30);
  std::map<int, uint64_t> histogram;
  std::map<std::string, uint64_t> families;
  std::map<std::string, double> family_seconds;
  double slowest = 0;
  std::string slowest_request;
  std::string previous;  // the last request on this connection, for a stray-answer report
  for (uint64_t index = 0; !shared.stop.load(); ++index) {
    if ((index & 63) == 0 && Clock::now() >= deadline) break;
    uint64_t sent = shared.sent.fetch_add(1);
    if (opt.max_requests && sent >= opt.max_requests) break;
    Fuzzed f = gen.Next();
    auto sent_at = Clock::now();
    int strays = conn.stray_answers();
    Response r = conn.RoundTrip(f.request.Serialize(), f.request.method == "HEAD");
    if (conn.stray_answers() != strays) {
      std::lock_guard<std::mutex> lock(shared.mu);
      ++shared.kinds["stray answer"];
      if (shared.findings.size() < static_cast<size_t>(opt.max_reports)) {
        shared.findings.push_back(
            "stray answer (worker " + std::to_string(id) +
            "): bytes were waiting after the answer to\n  request: " + previous);
      }
    }
    previous = f.request.Describe();
    double seconds = std::chrono::duration<double>(Clock::now() - sent_at).count();
    family_seconds[f.family] += seconds;
    if (seconds > slowest) {
      slowest = seconds;
      slowest_request = std::to_string(r.status) + " " + f.request.Describe();
    }
    ++histogram[r.status];
    ++families[f.family];
    if (!f.own.empty() && r.body.find(f.own) != std::string::npos) ++shared.own_canaries;
    std::string detail;
    Verdict v = Judge(f, r, &detail);
    if (v == Verdict::kOk) continue;
    std::string text = Report(id, index, f, r, v, detail);
    if (v == Verdict::kServerError) {
      Request small = Minimise(f.request, [&](const Request& t) {
        HttpConn probe(world.port, 30);
        return probe.RoundTrip(t.Serialize(), t.method == "HEAD").status >= 500;
      });
      text += "\n  minimal: " + small.Describe();
    }
    bool crashed = v == Verdict::kNoResponse && !HealthOk(world.port);
    if (crashed) text = "CRASH (/health does not answer) after " + text;
    std::lock_guard<std::mutex> lock(shared.mu);
    ++shared.kinds[crashed ? "crash" : VerdictName(v)];
    if (shared.findings.size() < static_cast<size_t>(opt.max_reports)) {
      shared.findings.push_back(text);
    }
    if (crashed) shared.stop = true;
  }
  std::lock_guard<std::mutex> lock(shared.mu);
  for (const auto& [status, n] : histogram) shared.histogram[status] += n;
  for (const auto& [family, n] : families) shared.families[family] += n;
  shared.stray_answers += static_cast<uint64_t>(conn.stray_answers());
  shared.connections_opened += static_cast<uint64_t>(conn.reconnects());
  for (const auto& [family, t] : family_seconds) shared.family_seconds[family] += t;
  if (slowest > shared.slowest) {
    shared.slowest = slowest;
    shared.slowest_request = slowest_request;
  }
}

// PRAGMA integrity_check and foreign_key_check on the stopped server's file.
std::vector<std::string> CheckDatabase(const std::string& path) {
  std::vector<std::string> problems;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    problems.push_back("cannot open " + path + ": " + sqlite3_errmsg(db));
    sqlite3_close(db);
    return problems;
  }
  auto rows = [&](const char* sql) {
    std::vector<std::string> out;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      out.push_back(std::string(sql) + ": " + sqlite3_errmsg(db));
      return out;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* text = sqlite3_column_text(stmt, c);
        row += (c ? " | " : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      out.push_back(row);
    }
    sqlite3_finalize(stmt);
    return out;
  };
  std::vector<std::string> integrity = rows("PRAGMA integrity_check");
  if (integrity != std::vector<std::string>{"ok"}) {
    for (const auto& line : integrity) problems.push_back("integrity_check: " + line);
  }
  for (const auto& line : rows("PRAGMA foreign_key_check")) {
    problems.push_back("foreign_key_check: " + line);
  }
  sqlite3_close(db);
  return problems;
}

int Run(const Options& opt) {
  e2e::ServerProcess server({"--password-cost", "minimal"});
  World world = Plant(server, opt.seed);
  const std::string secret = e2e::kTestSecret;
  Shared shared;
  auto start = Clock::now();
  auto deadline = start + std::chrono::milliseconds(static_cast<long long>(opt.seconds * 1000));
  std::vector<std::thread> workers;
  for (int i = 0; i < opt.connections; ++i) {
    workers.emplace_back(Worker, i, std::cref(opt), std::cref(world), std::cref(secret), deadline,
                         std::ref(shared));
  }
  // The canaries come back every two seconds (the owners' fuzzed writes change and delete
  // them), and /health is watched, until the workers are done.
  int replants = 0;
  int replant_failures = 0;
  for (;;) {
    for (int i = 0; i < 20 && !shared.stop.load() && Clock::now() < deadline; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (opt.max_requests && shared.sent.load() >= opt.max_requests) break;
    }
    bool done = shared.stop.load() || Clock::now() >= deadline ||
                (opt.max_requests && shared.sent.load() >= opt.max_requests);
    if (done) break;
    if (!HealthOk(world.port)) {
      std::lock_guard<std::mutex> lock(shared.mu);
      ++shared.kinds["crash"];
      shared.findings.push_back("CRASH: /health does not answer");
      shared.stop = true;
      break;
    }
    try {
      for (const std::string& change : BystanderChanges(server, world)) {
        std::lock_guard<std::mutex> lock(shared.mu);
        ++shared.kinds["bystander row changed"];
        if (shared.findings.size() < static_cast<size_t>(opt.max_reports)) {
          shared.findings.push_back("bystander row changed by another user: " + change);
        }
      }
      replant_failures += Replant(server, world);
    } catch (const std::exception&) {
      ++replant_failures;
    }
    ++replants;
  }
  for (auto& w : workers) w.join();
  for (const std::string& change : BystanderChanges(server, world)) {
    ++shared.kinds["bystander row changed"];
    shared.findings.push_back("bystander row changed by another user: " + change);
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  bool healthy = HealthOk(world.port);
  int exit_status = server.Stop(15);
  std::vector<std::string> db_problems = CheckDatabase(server.db_path());

  uint64_t total = 0;
  for (const auto& [status, n] : shared.histogram) total += n;
  std::printf("livefuzz: seed %llu, %d connections, %llu requests in %.1f s (%.0f/s)\n",
              static_cast<unsigned long long>(opt.seed), opt.connections,
              static_cast<unsigned long long>(total), elapsed, total / elapsed);
  std::printf("status:");
  for (const auto& [status, n] : shared.histogram) {
    std::printf(" %d=%llu", status, static_cast<unsigned long long>(n));
  }
  std::printf("\nshapes (count, mean ms):");
  for (const auto& [family, n] : shared.families) {
    std::printf(" %s=%llu/%.1f", family.c_str(), static_cast<unsigned long long>(n),
                1000 * shared.family_seconds[family] / static_cast<double>(n));
  }
  std::printf("\nslowest answer: %.0f ms for %s", 1000 * shared.slowest,
              Printable(shared.slowest_request, 300).c_str());
  std::printf("\nconnections opened: %llu, stray answers before a request: %llu",
              static_cast<unsigned long long>(shared.connections_opened),
              static_cast<unsigned long long>(shared.stray_answers));
  std::printf("\nanswers showing the asker's own canary: %llu",
              static_cast<unsigned long long>(shared.own_canaries.load()));
  std::printf("\ncanary replants: %d (%d failed requests)\n", replants, replant_failures);
  bool failed = false;
  for (const auto& [kind, n] : shared.kinds) {
    std::printf("%s: %llu\n", kind.c_str(), static_cast<unsigned long long>(n));
    failed = true;
  }
  for (const auto& text : shared.findings) std::printf("\n%s\n", text.c_str());
  if (total >= 2000 && shared.own_canaries.load() == 0) {
    std::printf("FAIL: no answer showed its asker's canary, so the leak check saw nothing\n");
    failed = true;
  }
  if (!healthy) {
    std::printf("FAIL: /health does not answer after the run\n");
    failed = true;
  }
  if (exit_status != 0) {
    std::printf("FAIL: the server exited with %d on SIGTERM\n", exit_status);
    failed = true;
  }
  for (const auto& p : db_problems) std::printf("FAIL: %s\n", p.c_str());
  if (db_problems.empty()) std::printf("database: integrity_check ok, foreign_key_check clean\n");
  failed = failed || !db_problems.empty();
  std::printf("%s\n", failed ? "livefuzz: FAILED" : "livefuzz: passed");
  if (failed) {
    std::printf("server log: %s/server.log (kept)\n", server.dir().c_str());
    std::fflush(stdout);
    std::_Exit(1);  // skip ServerProcess's destructor, which would delete the log
  }
  return 0;
}

}  // namespace
}  // namespace ib::livefuzz

int main(int argc, char** argv) {
  ib::livefuzz::Options opt;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--seconds") {
      opt.seconds = std::atof(value);
    } else if (flag == "--requests") {
      opt.max_requests = std::strtoull(value, nullptr, 10);
    } else if (flag == "--seed") {
      opt.seed = std::strtoull(value, nullptr, 10);
    } else if (flag == "--connections") {
      opt.connections = std::atoi(value);
    } else if (flag == "--reports") {
      opt.max_reports = std::atoi(value);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (argc % 2 == 0) {
    std::fprintf(stderr,
                 "usage: livefuzz [--seconds S] [--requests N] [--seed N] [--connections C] "
                 "[--reports N]\n");
    return 2;
  }
  try {
    return ib::livefuzz::Run(opt);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "livefuzz: %s\n", e.what());
    return 1;
  }
}
