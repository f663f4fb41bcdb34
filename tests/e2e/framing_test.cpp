// HTTP framing over raw sockets (docs/limits.md, docs/wire.md): a response sent before its
// request was read whole closes the connection, so nothing unread is ever taken for a request;
// pipelined requests are each parsed alike; heads and bodies have deadlines; bodies have
// limits checked before they are read; every response says nosniff; a busy port fails start.
#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/e2e/support/server_process.h"
#include "tests/e2e/support/wire_connection.h"

using ib::e2e::ServerProcess;
using ib::e2e::WireConnection;
using ib::e2e::WireResponse;
using Clock = std::chrono::steady_clock;

namespace {

std::string Request(const std::string& method, const std::string& target,
                    const std::string& headers, const std::string& body = "") {
  std::string out = method + " " + target + " HTTP/1.1\r\nHost: test\r\n" + headers;
  if (!body.empty() || method == "POST" || method == "PATCH") {
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return out + "\r\n" + body;
}

std::string Keys(const ServerProcess& server, const std::string& key) {
  (void)server;
  return "apikey: " + key + "\r\nAuthorization: Bearer " + key + "\r\n";
}

// A sign-up request: when executed, it creates the user `email`.
std::string Signup(const ServerProcess& server, const std::string& email) {
  std::string body = nlohmann::json{{"email", email}, {"password", "secret123"}}.dump();
  return Request("POST", "/auth/v1/signup",
                 "apikey: " + server.anon_key() + "\r\nContent-Type: application/json\r\n", body);
}

bool UserExists(const ServerProcess& server, const std::string& email) {
  auto r = server.Send("GET", "/auth/v1/admin/users?per_page=1000", server.service_key());
  REQUIRE(r.status == 200);
  return r.body.find(email) != std::string::npos;
}

}  // namespace

TEST_CASE(
    "framing: a 414 with a body unread closes the connection; the next request is lost, not "
    "misread") {
  ServerProcess server({"--password-cost", "minimal"});
  const std::string json = R"({"title":"x"})";
  WireConnection conn(server.port());
  conn.Send(Request("PATCH", "/rest/v1/interview_sessions?id=eq." + std::string(9 * 1024, 'a'),
                    Keys(server, server.service_key()) + "Content-Type: application/json\r\n",
                    json) +
            Request("GET", "/health", ""));
  auto r = conn.ReadResponse();
  REQUIRE(r);
  CHECK(r->status == 414);
  CHECK(r->header("connection") == "close");
  CHECK(r->header("x-content-type-options") == "nosniff");
  CHECK(conn.ClosedByServer());

  // Positive control: the same shapes with a short URL are both answered on one connection.
  WireConnection ok(server.port());
  ok.Send(Request("PATCH", "/rest/v1/interview_sessions?id=eq.00000000-0000-0000-0000-000000000000",
                  Keys(server, server.service_key()) + "Content-Type: application/json\r\n", json) +
          Request("GET", "/health", ""));
  auto first = ok.ReadResponse();
  REQUIRE(first);
  CHECK(first->status < 300);
  CHECK(first->header("connection") != "close");
  auto second = ok.ReadResponse();
  REQUIRE(second);
  CHECK(second->status == 200);
}

TEST_CASE("framing: a request hidden in an unread body is never executed") {
  ServerProcess server({"--password-cost", "minimal"});
  SUBCASE("behind a GET whose body the route does not read") {
    WireConnection conn(server.port());
    std::string hidden = Signup(server, "hidden-get@example.com");
    conn.Send(Request("GET", "/health", "", hidden));
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->header("connection") == "close");
    CHECK(conn.ClosedByServer());
    CHECK_FALSE(UserExists(server, "hidden-get@example.com"));
  }
  SUBCASE("behind a head refused as malformed") {
    WireConnection conn(server.port());
    std::string hidden = Signup(server, "hidden-400@example.com");
    conn.Send("POST /rest/v1/t HTTP/1.1\r\nContent-Length: " + std::to_string(hidden.size()) +
              "\r\nBad Header: x\r\n\r\n" + hidden);
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->header("connection") == "close");
    CHECK(conn.ClosedByServer());
    CHECK_FALSE(UserExists(server, "hidden-400@example.com"));
  }
  SUBCASE("behind a storage upload refused before its body is stored") {
    WireConnection conn(server.port());
    std::string hidden = Signup(server, "hidden-upload@example.com");
    conn.Send("POST /storage/v1/object/interview-audio/not-mine/a.bin HTTP/1.1\r\nHost: t\r\n" +
              Keys(server, server.anon_key()) +
              "Content-Type: application/octet-stream\r\nContent-Length: " +
              std::to_string(hidden.size()) + "\r\n\r\n" + hidden + Request("GET", "/health", ""));
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status >= 400);
    CHECK(r->status < 500);
    // The upload route reads and drops a refused body, so the connection may carry on: the
    // next answer is then the one to the GET, never one to the hidden sign-up.
    if (r->header("connection") == "close") {
      CHECK(conn.ClosedByServer());
    } else {
      auto next = conn.ReadResponse();
      REQUIRE(next);
      CHECK(next->status == 200);
      CHECK(next->body.find("email") == std::string::npos);
    }
    CHECK_FALSE(UserExists(server, "hidden-upload@example.com"));
  }
  SUBCASE("positive control: the same bytes sent as a request do create the user") {
    WireConnection conn(server.port());
    conn.Send(Signup(server, "visible@example.com"));
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(UserExists(server, "visible@example.com"));
  }
}

TEST_CASE("framing: pipelined requests all get the row Range rewrite") {
  ServerProcess server({"--password-cost", "minimal"});
  std::string uid = server.CreateUser("pipe@example.com");
  for (int i = 0; i < 3; ++i) {
    auto r =
        server.Send("POST", "/rest/v1/interview_sessions", server.service_key(),
                    nlohmann::json{{"user_id", uid}, {"title", "s" + std::to_string(i)}}.dump(),
                    {{"apikey", server.service_key()}, {"Content-Type", "application/json"}});
    REQUIRE(r.status == 201);
  }
  std::string one = Request("GET", "/rest/v1/interview_sessions?select=title&order=title",
                            Keys(server, server.service_key()) + "Range: 1-1\r\n");
  WireConnection conn(server.port());
  conn.Send(one + one + one);  // one write: the server reads them together
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->header("content-range") == "1-1/*");
    CHECK(r->body == R"([{"title":"s1"}])");
  }
}

TEST_CASE("framing: a trickled head or body is cut at its deadline while others are served") {
  ServerProcess server({"--head-timeout", "2", "--body-timeout", "2"});
  auto trickle = [&](const std::string& prefix, const std::string& slow_bytes) {
    WireConnection conn(server.port());
    conn.Send(prefix);
    auto start = Clock::now();
    std::optional<WireResponse> r;
    std::thread normal([&] {
      for (int i = 0; i < 10; ++i) {
        auto t = Clock::now();
        CHECK(server.Send("GET", "/health", "").status == 200);
        CHECK(Clock::now() - t < std::chrono::milliseconds(500));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
    // One byte every 300 ms: each recv is well inside the 5 s per-recv timeout.
    for (char c : slow_bytes) {
      if (!conn.Send(std::string(1, c))) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      if (Clock::now() - start > std::chrono::seconds(4)) break;
    }
    r = conn.ReadResponse(std::chrono::seconds(3));
    auto elapsed = Clock::now() - start;
    normal.join();
    REQUIRE(r);
    CHECK(r->status == 408);
    CHECK(r->header("connection") == "close");
    CHECK(elapsed >= std::chrono::milliseconds(1900));
    CHECK(elapsed < std::chrono::seconds(5));
  };
  SUBCASE("head") { trickle("GET /health HTTP/1.1\r\n", std::string(40, 'X') + ": y\r\n\r\n"); }
  SUBCASE("body") {
    std::string body(40, ' ');
    trickle("POST /rest/v1/interview_sessions HTTP/1.1\r\nContent-Length: 40\r\n" +
                Keys(server, server.anon_key()) + "\r\n",
            body);
  }
  SUBCASE("positive control: a head and body sent at once are served") {
    WireConnection conn(server.port());
    conn.Send(Request("POST", "/auth/v1/token?grant_type=password",
                      "apikey: " + server.anon_key() + "\r\nContent-Type: application/json\r\n",
                      R"({"email":"nobody@example.com","password":"x"})"));
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 400);  // invalid credentials: answered, not timed out
  }
}
