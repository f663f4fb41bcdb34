// ConnectionReactor over socket pairs: a parked connection comes back only with a whole head
// queued, is closed past its idle or head deadline, and Stop() closes every parked one.
// (IpConnectionCap has its own tests: ip_connection_cap_test.cpp.)
#include "server/http/connection_reactor.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using ib::http::Connection;
using ib::http::ConnectionReactor;
using ib::http::ReactorLimits;
using std::chrono::milliseconds;

namespace {

// Counts destructions, so a test sees the reactor close a connection.
struct CountedConnection : Connection {
  CountedConnection(int fd, std::atomic<int>& closed) : Connection(fd), closed_(closed) {}
  ~CountedConnection() override { ++closed_; }
  std::atomic<int>& closed_;
};

struct Fixture {
  explicit Fixture(ReactorLimits timeouts = {}) : reactor(timeouts) {
    REQUIRE(reactor.Start([this](Connection* c, bool is_expired) {
      std::lock_guard<std::mutex> lock(mu);
      dispatched.push_back(c);
      expired.push_back(is_expired);
      cv.notify_all();
    }));
  }

  // A socket pair; the reactor owns one end (serving), the test writes to the other.
  std::pair<Connection*, int> Open() {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    peers.push_back(fds[1]);
    return {reactor.Adopt(std::make_unique<CountedConnection>(fds[0], closed)), fds[1]};
  }

  bool WaitDispatched(size_t n, milliseconds timeout = milliseconds(1000)) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, timeout, [&] { return dispatched.size() >= n; });
  }

  ~Fixture() {
    reactor.Stop();
    for (int fd : peers) close(fd);
  }

  std::atomic<int> closed{0};
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Connection*> dispatched;
  std::vector<bool> expired;
  std::vector<int> peers;
  ConnectionReactor reactor;
};

void Write(int fd, const std::string& s) {
  REQUIRE(write(fd, s.data(), s.size()) == static_cast<ssize_t>(s.size()));
}

}  // namespace

TEST_CASE("reactor: a parked connection returns to a worker only with a whole head") {
  Fixture f;
  auto [c, peer] = f.Open();
  CHECK_FALSE(f.reactor.Park(c));
  CHECK(f.reactor.ParkedConnections() == 1);
  Write(peer, "GET / HTTP/1.1\r\nHost: x\r\n");
  std::this_thread::sleep_for(milliseconds(100));
  CHECK(f.dispatched.empty());
  Write(peer, "\r\n");
  REQUIRE(f.WaitDispatched(1));
  CHECK(f.dispatched[0] == c);
  CHECK(f.reactor.ParkedConnections() == 0);
  // The bytes were only peeked: the worker's stream still reads them.
  char buf[64];
  CHECK(recv(c->fd(), buf, sizeof buf, MSG_DONTWAIT) == 27);
  f.reactor.Close(c);
  CHECK(f.closed == 1);
}

TEST_CASE("reactor: a Content-Length body is awaited in the peek window, not behind Expect") {
  Fixture f;
  auto [c, peer] = f.Open();
  CHECK_FALSE(f.reactor.Park(c));
  Write(peer, "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345");
  std::this_thread::sleep_for(milliseconds(100));
  CHECK(f.dispatched.empty());
  Write(peer, "67890");
  REQUIRE(f.WaitDispatched(1));
  CHECK_FALSE(f.expired[0]);
  // A client that waits for 100 Continue gets its worker with the head alone.
  auto [e, e_peer] = f.Open();
  CHECK(f.reactor.Park(e) == false);
  Write(e_peer, "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
  REQUIRE(f.WaitDispatched(2));
  CHECK(f.dispatched[1] == e);
}

TEST_CASE("reactor: a body longer than the window is not awaited") {
  ReactorLimits limits;
  limits.body_window = 1000;
  Fixture f(limits);
  auto [c, peer] = f.Open();
  CHECK_FALSE(f.reactor.Park(c));
  Write(peer, "POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n");
  std::this_thread::sleep_for(milliseconds(100));
  CHECK(f.dispatched.empty());
  auto [big, big_peer] = f.Open();
  CHECK_FALSE(f.reactor.Park(big));
  Write(big_peer, "POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n");
  REQUIRE(f.WaitDispatched(1));
  CHECK(f.dispatched[0] == big);
}

TEST_CASE("reactor: a head already queued keeps the worker serving") {
  Fixture f;
  auto [c, peer] = f.Open();
  Write(peer, "GET / HTTP/1.1\r\n\r\n");
  CHECK(f.reactor.Park(c));
  CHECK(f.reactor.ParkedConnections() == 0);
  CHECK(f.dispatched.empty());
}

TEST_CASE("reactor: deadlines: idle closes, a partial head expires, a partial body is served") {
  ReactorLimits t;
  t.idle = milliseconds(200);
  t.head = milliseconds(400);
  Fixture f(t);
  auto [idle, idle_peer] = f.Open();
  auto [slow, slow_peer] = f.Open();
  auto [body, body_peer] = f.Open();
  CHECK_FALSE(f.reactor.Park(idle));
  CHECK_FALSE(f.reactor.Park(slow));
  CHECK_FALSE(f.reactor.Park(body));
  Write(slow_peer, "GET / HT");
  Write(body_peer, "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc");
  std::this_thread::sleep_for(milliseconds(320));
  CHECK(f.closed == 1);  // the idle one; the partial requests still have time
  CHECK(f.dispatched.empty());
  REQUIRE(f.WaitDispatched(2));
  CHECK(f.closed == 1);
  for (size_t i = 0; i < 2; ++i) CHECK(f.expired[i] == (f.dispatched[i] == slow));
  CHECK(f.reactor.ParkedConnections() == 0);
  (void)idle_peer;
}

TEST_CASE(
    "reactor: a peer that leaves while parked is closed, and Stop() closes every parked one") {
  Fixture f;
  auto [gone, gone_peer] = f.Open();
  CHECK_FALSE(f.reactor.Park(gone));
  shutdown(gone_peer, SHUT_WR);
  std::this_thread::sleep_for(milliseconds(100));
  CHECK(f.closed == 1);
  for (int i = 0; i < 50; ++i) CHECK_FALSE(f.reactor.Park(f.Open().first));
  auto serving = f.Open().first;
  CHECK(f.reactor.ParkedConnections() == 50);
  f.reactor.Stop();
  CHECK(f.closed == 51);
  // After Stop(), parking closes.
  CHECK_FALSE(f.reactor.Park(serving));
  CHECK(f.closed == 52);
}

TEST_CASE("reactor: a lingering connection drains until the peer closes or the time is up") {
  Fixture f;
  auto [a, a_peer] = f.Open();
  auto [b, b_peer] = f.Open();
  Write(a_peer, "unread rest of a body");
  shutdown(a->fd(), SHUT_WR);
  f.reactor.Linger(a, milliseconds(300));
  shutdown(b->fd(), SHUT_WR);
  f.reactor.Linger(b, milliseconds(5000));
  CHECK(f.reactor.ParkedConnections() == 2);
  // The peer sees EOF (not a reset) and its bytes are taken.
  char buf[8];
  CHECK(recv(a_peer, buf, sizeof buf, 0) == 0);
  Write(a_peer, "more");
  std::this_thread::sleep_for(milliseconds(100));
  CHECK(f.closed == 0);
  close(b_peer);
  f.peers.pop_back();
  std::this_thread::sleep_for(milliseconds(100));
  CHECK(f.closed == 1);  // b: its peer closed
  std::this_thread::sleep_for(milliseconds(300));
  CHECK(f.closed == 2);  // a: time is up
  CHECK(f.dispatched.empty());
}
