// Hostile input (docs/limits.md): each request gets a complete 2xx or 4xx within 5 s, never a
// 5xx, and other clients keep getting answers meanwhile, also while one client sends its
// headers slowly.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/e2e/support/server_process.h"

using ib::e2e::Encode;
using ib::e2e::Repeat;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using Clock = std::chrono::steady_clock;

namespace {

void ExpectQuick4xxOr2xx(const ServerProcess& server, const std::string& method,
                         const std::string& path, const std::string& body = "",
                         httplib::Headers headers = {}) {
  auto start = Clock::now();
  headers.emplace("apikey", server.service_key());
  Reply r = server.Send(method, path, server.service_key(), body, headers);
  auto elapsed = Clock::now() - start;
  CAPTURE(path.substr(0, 120));
  CAPTURE(r.body.substr(0, 300));
  CHECK(r.status >= 200);
  CHECK(r.status < 500);
  CHECK(elapsed < std::chrono::seconds(5));
}

}  // namespace

TEST_CASE("hostile: deep, wide and long requests get a complete 2xx or 4xx") {
  ServerProcess server;
  const std::string base = "/rest/v1/interview_sessions";
  // select= and logic trees nested 50 deep.
  std::string select = Repeat("interview_feedback(", 50) + "id" + Repeat(")", 50);
  ExpectQuick4xxOr2xx(server, "GET", base + "?select=" + Encode(select));
  std::string logic = Repeat("and(", 49) + "title.eq.x" + Repeat(")", 49);
  ExpectQuick4xxOr2xx(server, "GET", base + "?or=" + Encode("(" + logic + ")"));
  // A 2,000-term or= and a 10,000-item in.(); past the 8 KiB URI limit they are answered 414.
  std::string terms;
  for (int i = 0; i < 2000; ++i)
    terms += (i ? "," : "") + std::string("title.eq.t") + std::to_string(i);
  ExpectQuick4xxOr2xx(server, "GET", base + "?or=(" + terms + ")");
  std::string items;
  for (int i = 0; i < 10000; ++i) items += (i ? "," : "") + std::to_string(i);
  ExpectQuick4xxOr2xx(server, "GET", base + "?duration_minutes=in.(" + items + ")");
  // URLs and object keys of 20,000 characters.
  ExpectQuick4xxOr2xx(server, "GET", base + "?" + std::string(20000, 'a') + "=eq.1");
  ExpectQuick4xxOr2xx(server, "POST", base, "{\"" + std::string(20000, 'k') + "\":1}");
  // Bodies nested 10,000 deep, as an array and inside a jsonb value: padded to 5 MB (the
  // body limit answers) and to 3 MB, under the 4 MiB limit (the nesting is what is refused).
  std::string nested = Repeat("[", 10000) + Repeat("]", 10000);
  ExpectQuick4xxOr2xx(server, "POST", base, nested + std::string(5 * 1024 * 1024, ' '));
  ExpectQuick4xxOr2xx(server, "POST", base, nested + std::string(3 * 1024 * 1024, ' '));
  ExpectQuick4xxOr2xx(server, "POST", base, "{\"title\":\"x\",\"metadata\":" + nested + "}");
  // 200 headers.
  httplib::Headers many;
  for (int i = 0; i < 200; ++i) many.emplace("X-Filler-" + std::to_string(i), "v");
  ExpectQuick4xxOr2xx(server, "GET", base, "", many);
  // Still serving.
  CHECK(server.Send("GET", "/health", "").status == 200);
}

TEST_CASE("hostile: a client sending headers slowly does not stall others") {
  ServerProcess server;
  std::atomic<bool> done{false};
  std::thread slow([&] {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      const char* req = "GET /rest/v1/leaderboard HTTP/1.1\r\nHost: x\r\n";
      for (const char* p = req; *p && !done; ++p) {
        (void)write(fd, p, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    close(fd);
  });
  for (int i = 0; i < 20; ++i) {
    auto start = Clock::now();
    Reply r = server.Send("GET", "/rest/v1/leaderboard", server.anon_key());
    CHECK(r.status == 200);
    CHECK(Clock::now() - start < std::chrono::milliseconds(1500));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  done = true;
  slow.join();
}
