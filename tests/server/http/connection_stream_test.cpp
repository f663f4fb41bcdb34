#include "server/http/connection_stream.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

using ib::http::ConnectionStream;
using ib::http::HeadLimits;
using ib::http::StreamTimeouts;
using HeadStatus = ConnectionStream::HeadStatus;

namespace {

// A connected socket pair: the test writes as the client into `client`, the stream reads
// `server`.
struct Pair {
  int client = -1;
  int server = -1;
  Pair() {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    client = fds[0];
    server = fds[1];
  }
  ~Pair() {
    close(client);
    close(server);
  }
  void Send(const std::string& bytes) const {
    REQUIRE(write(client, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }
};

StreamTimeouts Quick() {
  StreamTimeouts t;
  t.read = std::chrono::milliseconds(300);
  t.head = std::chrono::milliseconds(300);
  t.body = std::chrono::milliseconds(300);
  return t;
}

// Everything the stream hands httplib for the current request, until it says end (0) or
// fails (-1, appended as "<fail>").
std::string Drain(ConnectionStream& s) {
  std::string out;
  char buf[7];  // small, so reads cross every boundary
  for (;;) {
    ssize_t n = s.read(buf, sizeof buf);
    if (n < 0) return out + "<fail>";
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

TEST_CASE("connection stream: pipelined requests are handed out one at a time, each rewritten") {
  Pair p;
  ConnectionStream s(p.server, Quick());
  p.Send(
      "GET /a HTTP/1.1\r\nRange: 0-1\r\napikey: k\r\n\r\n"
      "POST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
      "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      "GET /d HTTP/1.1\r\nrange: bytes=2-3\r\n\r\n");
  REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kReady);
  s.BeginRequest(100);
  // httplib is given only the headers it reads itself: the row range and the key reach the
  // handlers from head() (handler_headers.h).
  CHECK(Drain(s) == "GET /a HTTP/1.1\r\nConnection: Keep-Alive\r\n\r\n");
  CHECK(s.head().headers.size() == 2);
  CHECK(s.BodyComplete());
  CHECK(s.HasBuffered());

  REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kReady);
  s.BeginRequest(100);
  CHECK(Drain(s) == "POST /b HTTP/1.1\r\nContent-Length: 5\r\nConnection: Keep-Alive\r\n\r\nhello");

  REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kReady);
  s.BeginRequest(100);
  CHECK(Drain(s) ==
        "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: Keep-Alive\r\n\r\n"
        "3\r\nabc\r\n0\r\n\r\n");
  CHECK(s.BodyComplete());

  REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kReady);
  CHECK(s.head().target == "/d");
  s.BeginRequest(100);
  CHECK(Drain(s).find("range: bytes=2-3\r\n") != std::string::npos);
  CHECK_FALSE(s.HasBuffered());
}

TEST_CASE("connection stream: an unread body is not complete, and is never read as a head") {
  Pair p;
  ConnectionStream s(p.server, Quick());
  p.Send("GET /a HTTP/1.1\r\nContent-Length: 18\r\n\r\nGET /x HTTP/1.1\r\n\r\n");
  REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kReady);
  s.BeginRequest(100);
  char head[200];
  CHECK(s.read(head, sizeof head) > 0);  // httplib reads the head, then answers a GET
  CHECK_FALSE(s.BodyComplete());
  CHECK(s.InputAbandoned());
}

TEST_CASE("connection stream: body faults - deadline, limit, malformed chunks") {
  SUBCASE("a body that stops coming fails with 408") {
    Pair p;
    ConnectionStream s(p.server, Quick());
    p.Send("POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
    REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kReady);
    s.BeginRequest(100);
    std::string got = Drain(s);
    CHECK(got.find("abc<fail>") != std::string::npos);
    CHECK(s.BodyFault() == 408);
    CHECK_FALSE(s.BodyComplete());
  }
  SUBCASE("a chunked body past the limit fails with 413") {
    Pair p;
    ConnectionStream s(p.server, Quick());
    p.Send("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");
    REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kReady);
    s.BeginRequest(3);
    std::string got = Drain(s);
    CHECK(got.substr(got.size() - 6) == "<fail>");
    CHECK(s.BodyFault() == 413);
  }
  SUBCASE("malformed chunk framing fails with 400") {
    Pair p;
    ConnectionStream s(p.server, Quick());
    p.Send("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kReady);
    s.BeginRequest(100);
    Drain(s);
    CHECK(s.BodyFault() == 400);
  }
}

TEST_CASE("connection stream: heads - refused, timed out, closed") {
  SUBCASE("oversized request line: 414 without waiting for its end") {
    Pair p;
    ConnectionStream s(p.server, Quick());
    p.Send("GET /" + std::string(9000, 'a'));
    REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kRefused);
    CHECK(s.refusal().status == 414);
  }
  SUBCASE("a partial head past the head deadline") {
    Pair p;
    ConnectionStream s(p.server, Quick());
    p.Send("GET / HTTP/1.1\r\nHost: x\r\n");
    CHECK(s.ReadHead(HeadLimits{}) == HeadStatus::kTimedOut);
  }
  SUBCASE("the client closes before a head: closed; leading empty lines are skipped") {
    Pair p;
    ConnectionStream s(p.server, Quick());
    p.Send("\r\n\r\nGET /z HTTP/1.1\r\n\r\n");
    shutdown(p.client, SHUT_WR);
    REQUIRE(s.ReadHead(HeadLimits{}) == HeadStatus::kReady);
    CHECK(s.head().target == "/z");
    s.BeginRequest(0);
    Drain(s);
    CHECK(s.ReadHead(HeadLimits{}) == HeadStatus::kClosed);
  }
}

namespace {

// What the client has received so far, without waiting.
std::string Received(const Pair& p) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(p.client, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

TEST_CASE("connection stream: a response head waits for its body and leaves with it") {
  Pair p;
  ConnectionStream s(p.server, Quick());
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";

  SUBCASE("the body takes the head along") {
    CHECK(s.write(head.data(), head.size()) == static_cast<ssize_t>(head.size()));
    CHECK(Received(p).empty());
    CHECK(s.write("hello", 5) == 5);
    CHECK(Received(p) == head + "hello");
    CHECK(s.bytes_written() == head.size() + 5);
    CHECK(s.Flush());
  }
  SUBCASE("a head without a body leaves when the answer is done") {
    const std::string no_content = "HTTP/1.1 204 No Content\r\n\r\n";
    CHECK(s.write(no_content.data(), no_content.size()) == static_cast<ssize_t>(no_content.size()));
    CHECK(Received(p).empty());
    CHECK(s.Flush());
    CHECK(Received(p) == no_content);
  }
  SUBCASE("an interim 100 Continue is not held: the client waits for it before its body") {
    const std::string go_on = "HTTP/1.1 100 Continue\r\n\r\n";
    CHECK(s.write(go_on.data(), go_on.size()) == static_cast<ssize_t>(go_on.size()));
    CHECK(Received(p) == go_on);
  }
  SUBCASE("reading sends what is held first") {
    CHECK(s.write(head.data(), head.size()) == static_cast<ssize_t>(head.size()));
    char byte;
    s.read(&byte, 1);  // no request begun: nothing to hand out
    CHECK(Received(p) == head);
  }
  SUBCASE("a client that is gone fails the body's write, not silently") {
    CHECK(s.write(head.data(), head.size()) == static_cast<ssize_t>(head.size()));
    shutdown(p.client, SHUT_RD);
    close(p.client);
    p.client = socket(AF_UNIX, SOCK_STREAM, 0);  // so ~Pair closes a descriptor of its own
    CHECK(s.write("hello", 5) == -1);
  }
}
