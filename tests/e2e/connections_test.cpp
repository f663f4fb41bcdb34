// Connections (docs/limits.md, "HTTP"): idle keep-alive connections and slow-header clients do
// not hold workers, so a new client is answered at once however many of them are open; the
// per-address connection cap answers 429 past the cap while a connection under it is served;
// idle connections close after the keep-alive timeout; stopping with many parked connections
// is prompt; one address's request bodies still on their way hold at most half the workers; a
// keep-alive client served whether it paces its requests or sends them back to back. Raw
// sockets against the real binary, with few workers (--threads 4) so that any connection holding a
// worker would show.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/support/server_process.h"

using ib::e2e::ServerProcess;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

const char kHealth[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// One client socket; closed on destruction.
class Client {
 public:
  explicit Client(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  Client(Client&& other) noexcept : fd_(other.fd_), connected_(other.connected_) { other.fd_ = -1; }

  bool connected() const { return connected_; }

  bool Send(const std::string& bytes) {
    return send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Reads one response (head and Content-Length body); "" when the connection ended or nothing
  // came within `timeout`.
  std::string ReadResponse(milliseconds timeout = milliseconds(5000)) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      size_t head_end = buf_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t length = 0;
        size_t cl = Lower(buf_.substr(0, head_end)).find("\r\ncontent-length:");
        if (cl != std::string::npos) length = std::stoul(buf_.substr(cl + 17));
        if (buf_.size() >= head_end + 4 + length) {
          std::string response = buf_.substr(0, head_end + 4 + length);
          buf_.erase(0, head_end + 4 + length);
          return response;
        }
      }
      if (Fill(deadline) <= 0) return "";
    }
  }

  // True when the server closed the connection (EOF or reset) within `timeout`.
  bool ClosedWithin(milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      ssize_t n = Fill(deadline);
      if (n == 0 || n == -1) return true;  // EOF, or a reset
      if (n == kTimedOut || Clock::now() >= deadline) return false;
    }
  }

 private:
  static std::string Lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  static constexpr ssize_t kTimedOut = -2;

  // Bytes read (appended to buf_), 0 at EOF, -1 on a reset, kTimedOut when nothing came in time.
  ssize_t Fill(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) return kTimedOut;
    char chunk[4096];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) buf_.append(chunk, static_cast<size_t>(n));
    return n;
  }

  int fd_;
  bool connected_ = false;
  std::string buf_;
};

std::string StatusLine(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

// A new client's GET /health: its status line and how long the answer took.
std::pair<std::string, milliseconds> TimedHealth(int port) {
  const auto start = Clock::now();
  Client c(port);
  std::string response = c.Send(kHealth) ? c.ReadResponse() : "";
  return {StatusLine(response), std::chrono::duration_cast<milliseconds>(Clock::now() - start)};
}

}  // namespace

TEST_CASE("connections: 300 idle keep-alive connections do not starve a new client") {
  ServerProcess server({"--threads", "4", "--max-connections-per-ip", "400"});
  std::vector<Client> idle;
  for (int i = 0; i < 300; ++i) {
    idle.emplace_back(server.port());
    REQUIRE(idle.back().connected());
    // Each is served once, then stays open and idle.
    REQUIRE(idle.back().Send(kHealth));
    REQUIRE(StatusLine(idle.back().ReadResponse()) == "HTTP/1.1 200 OK");
  }
  for (int i = 0; i < 5; ++i) {
    auto [status, took] = TimedHealth(server.port());
    CHECK(status == "HTTP/1.1 200 OK");
    CHECK(took < milliseconds(500));
  }
  // Every idle connection is still open and serves its next request.
  int served = 0;
  for (auto& c : idle) {
    if (c.Send(kHealth) && StatusLine(c.ReadResponse()) == "HTTP/1.1 200 OK") ++served;
  }
  CHECK(served == 300);
}

TEST_CASE("connections: slow-header clients do not starve a new client, and are cut off") {
  ServerProcess server({"--threads", "4", "--head-timeout", "2"});
  std::vector<Client> slow;
  for (int i = 0; i < 100; ++i) {
    slow.emplace_back(server.port());
    REQUIRE(slow.back().connected());
    REQUIRE(slow.back().Send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  }
  const auto start = Clock::now();
  while (Clock::now() - start < milliseconds(1000)) {
    for (auto& c : slow) c.Send("X");  // one more header byte each, never the blank line
    auto [status, took] = TimedHealth(server.port());
    CHECK(status == "HTTP/1.1 200 OK");
    CHECK(took < milliseconds(500));
    std::this_thread::sleep_for(milliseconds(200));
  }
  // Past the head deadline each gets its 408 and the connection ends.
  int timed_out = 0;
  for (auto& c : slow) {
    if (StatusLine(c.ReadResponse(milliseconds(4000))) == "HTTP/1.1 408 Request Timeout" &&
        c.ClosedWithin(milliseconds(1000))) {
      ++timed_out;
    }
  }
  CHECK(timed_out == 100);
}

TEST_CASE("connections: past the per-address cap a new connection gets 429 and is closed") {
  ServerProcess server({"--max-connections-per-ip", "3"});
  std::vector<Client> open;
  for (int i = 0; i < 3; ++i) {
    open.emplace_back(server.port());
    REQUIRE(open.back().Send(kHealth));
    REQUIRE(StatusLine(open.back().ReadResponse()) == "HTTP/1.1 200 OK");
  }
  Client fourth(server.port());
  std::string refused = fourth.ReadResponse();
  CHECK(StatusLine(refused) == "HTTP/1.1 429 Too Many Requests");
  CHECK(refused.find("\"code\"") != std::string::npos);
  CHECK(refused.find("X-Request-Id: ") != std::string::npos);
  CHECK(fourth.ClosedWithin(milliseconds(1000)));
  // /metrics counts the refused connection (and, as a control, the open ones).
  REQUIRE(open.front().Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string metrics = open.front().ReadResponse();
  CHECK(metrics.find("\nib_rate_limit_refusals_total{service=\"connection\"} 1\n") !=
        std::string::npos);
  CHECK(metrics.find("\nib_http_connections_open 3\n") != std::string::npos);
  // The three under the cap are still served.
  for (auto& c : open) {
    REQUIRE(c.Send(kHealth));
    CHECK(StatusLine(c.ReadResponse()) == "HTTP/1.1 200 OK");
  }
  // Closing one frees its slot for a new connection.
  open.pop_back();
  std::string status;
  for (int attempt = 0; attempt < 50 && status != "HTTP/1.1 200 OK"; ++attempt) {
    std::this_thread::sleep_for(milliseconds(20));
    status = TimedHealth(server.port()).first;
  }
  CHECK(status == "HTTP/1.1 200 OK");
}

TEST_CASE("connections: one address's slow request bodies hold at most half the workers") {
  // 4 workers: one address may have 2 of them reading bodies that are still arriving.
  ServerProcess server({"--threads", "4"});
  const std::string upload_head =
      "POST /rest/v1/interview_sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nContent-Length: 200000\r\n\r\n[";
  std::vector<Client> slow;
  for (int i = 0; i < 2; ++i) {
    slow.emplace_back(server.port());
    REQUIRE(slow.back().Send(upload_head));  // then nothing: the body trickles, or never comes
  }
  std::this_thread::sleep_for(milliseconds(300));  // both are on workers, reading
  // A third body from the same address is refused at once, and its connection ends.
  Client third(server.port());
  REQUIRE(third.Send(upload_head));
  std::string refused = third.ReadResponse(milliseconds(3000));
  CHECK(StatusLine(refused) == "HTTP/1.1 429 Too Many Requests");
  CHECK(refused.find("\"code\"") != std::string::npos);
  CHECK(third.ClosedWithin(milliseconds(1000)));
  // The other workers still serve everyone else, this address included.
  for (int i = 0; i < 3; ++i) {
    auto [status, took] = TimedHealth(server.port());
    CHECK(status == "HTTP/1.1 200 OK");
    CHECK(took < milliseconds(500));
  }
  // A body that is already whole when its head is read does not count (positive control).
  Client small(server.port());
  REQUIRE(
      small.Send("POST /rest/v1/rpc/none HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"));
  CHECK(StatusLine(small.ReadResponse()) != "HTTP/1.1 429 Too Many Requests");
  // When a slow client goes away its worker is freed and the next upload is read.
  slow.pop_back();
  std::string status;
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::this_thread::sleep_for(milliseconds(50));
    Client next(server.port());
    REQUIRE(next.Send(upload_head + std::string(199999, ' ')));
    status = StatusLine(next.ReadResponse(milliseconds(3000)));
    if (status != "HTTP/1.1 429 Too Many Requests") break;
  }
  CHECK(status.rfind("HTTP/1.1 4", 0) == 0);  // read whole, then answered (no apikey: 401)
  CHECK(status != "HTTP/1.1 429 Too Many Requests");
}

TEST_CASE("connections: an idle keep-alive connection is closed after the keep-alive timeout") {
  ServerProcess server;
  Client c(server.port());
  REQUIRE(c.Send(kHealth));
  REQUIRE(StatusLine(c.ReadResponse()) == "HTTP/1.1 200 OK");
  // Idle for a second (under the 3 s timeout): still open and served.
  std::this_thread::sleep_for(milliseconds(1000));
  REQUIRE(c.Send(kHealth));
  CHECK(StatusLine(c.ReadResponse()) == "HTTP/1.1 200 OK");
  CHECK_FALSE(c.ClosedWithin(milliseconds(2000)));
  CHECK(c.ClosedWithin(milliseconds(2000)));
}

TEST_CASE("connections: a client that paces its requests, then hurries, is served throughout") {
  // Requests 10 ms apart never arrive within a worker's hot wait (2 ms), so the server stops
  // waiting for this connection's next request and parks it at once; back-to-back requests
  // after that (and pipelined ones) must still be answered, on the same connection.
  ServerProcess server({"--threads", "4"});
  Client c(server.port());
  for (int i = 0; i < 12; ++i) {
    REQUIRE(c.Send(kHealth));
    REQUIRE(StatusLine(c.ReadResponse()) == "HTTP/1.1 200 OK");
    std::this_thread::sleep_for(milliseconds(10));
  }
  for (int i = 0; i < 60; ++i) {
    REQUIRE(c.Send(kHealth));
    REQUIRE(StatusLine(c.ReadResponse()) == "HTTP/1.1 200 OK");
  }
  REQUIRE(c.Send(std::string(kHealth) + kHealth));
  CHECK(StatusLine(c.ReadResponse()) == "HTTP/1.1 200 OK");
  CHECK(StatusLine(c.ReadResponse()) == "HTTP/1.1 200 OK");
  std::this_thread::sleep_for(milliseconds(50));
  REQUIRE(c.Send(kHealth));
  CHECK(StatusLine(c.ReadResponse()) == "HTTP/1.1 200 OK");
  CHECK_FALSE(c.ClosedWithin(milliseconds(100)));
}

TEST_CASE("connections: stopping with many parked connections is prompt") {
  ServerProcess server({"--threads", "4"});
  std::vector<Client> parked;
  for (int i = 0; i < 100; ++i) {
    parked.emplace_back(server.port());
    REQUIRE(parked.back().Send(kHealth));
    REQUIRE(StatusLine(parked.back().ReadResponse()) == "HTTP/1.1 200 OK");
  }
  const auto start = Clock::now();
  CHECK(server.Stop() == 0);
  CHECK(Clock::now() - start < milliseconds(1000));
  int closed = 0;
  for (auto& c : parked) closed += c.ClosedWithin(milliseconds(100)) ? 1 : 0;
  CHECK(closed == 100);
}
