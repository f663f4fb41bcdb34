// The front door (docs/limits.md#http): body limits decided before a body is read, nosniff on
// every response, and a port already in use failing the start. Raw sockets where a client
// library would hide the framing.
#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "tests/e2e/support/server_process.h"
#include "tests/e2e/support/wire_connection.h"

using ib::e2e::RunBinary;
using ib::e2e::ServerProcess;
using ib::e2e::WireConnection;

namespace {

std::string Head(const std::string& method, const std::string& target, const std::string& key,
                 const std::string& framing) {
  return method + " " + target + " HTTP/1.1\r\nHost: test\r\napikey: " + key +
         "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\n" + framing +
         "\r\n";
}

std::string Sized(const std::string& method, const std::string& target, const std::string& key,
                  const std::string& body) {
  return Head(method, target, key, "Content-Length: " + std::to_string(body.size()) + "\r\n") +
         body;
}

// `body` as chunks of at most 100 bytes, then the last chunk.
std::string Chunked(const std::string& body) {
  std::string out;
  for (size_t i = 0; i < body.size(); i += 100) {
    std::string part = body.substr(i, 100);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", part.size());
    out += std::string(size) + "\r\n" + part + "\r\n";
  }
  return out + "0\r\n\r\n";
}

// A JSON sign-up body padded with spaces to exactly `size` bytes.
std::string SignupBody(const std::string& email, size_t size) {
  std::string json = nlohmann::json{{"email", email}, {"password", "secret123"}}.dump();
  REQUIRE(json.size() <= size);
  return json + std::string(size - json.size(), ' ');
}

}  // namespace

TEST_CASE("front door: REST and auth bodies past --max-body-size are 413 before being read") {
  ServerProcess server({"--max-body-size", "1000", "--password-cost", "minimal"});
  const std::string rest = "/rest/v1/interview_sessions";
  SUBCASE("Content-Length over the limit: answered from the head alone, connection closed") {
    for (const char* target : {"/rest/v1/interview_sessions", "/auth/v1/signup"}) {
      CAPTURE(target);
      WireConnection conn(server.port());
      // Only the head is sent: the answer must not wait for the body.
      conn.Send(Head("POST", target, server.anon_key(), "Content-Length: 1001\r\n"));
      auto r = conn.ReadResponse();
      REQUIRE(r);
      CHECK(r->status == 413);
      CHECK(r->header("connection") == "close");
      CHECK(nlohmann::json::parse(r->body).contains("message"));
      CHECK(conn.ClosedByServer());
    }
  }
  SUBCASE("positive control: exactly the limit is read and handled (sign-up succeeds)") {
    WireConnection conn(server.port());
    conn.Send(Sized("POST", "/auth/v1/signup", server.anon_key(),
                    SignupBody("at-limit@example.com", 1000)));
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->header("connection") != "close");
  }
  SUBCASE("a chunked body is counted: past the limit 413 and closed, within it handled") {
    WireConnection big(server.port());
    big.Send(Head("POST", "/auth/v1/signup", server.anon_key(), "Transfer-Encoding: chunked\r\n") +
             Chunked(SignupBody("chunked-big@example.com", 1001)));
    auto r = big.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(r->header("connection") == "close");
    CHECK(big.ClosedByServer());

    WireConnection ok(server.port());
    ok.Send(Head("POST", "/auth/v1/signup", server.anon_key(), "Transfer-Encoding: chunked\r\n") +
            Chunked(SignupBody("chunked-ok@example.com", 1000)));
    auto fine = ok.ReadResponse();
    REQUIRE(fine);
    CHECK(fine->status == 200);
  }
  SUBCASE("storage uploads keep their own, larger limit") {
    WireConnection conn(server.port());
    std::string head =
        "POST /storage/v1/object/interview-audio/svc/big.bin HTTP/1.1\r\n"
        "Host: test\r\napikey: " +
        server.service_key() + "\r\nAuthorization: Bearer " + server.service_key() +
        "\r\nContent-Type: application/octet-stream\r\nContent-Length: 5000\r\n\r\n";
    conn.Send(head + std::string(5000, 'b'));
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 200);
  }
}

TEST_CASE("front door: Storage's JSON routes get --max-body-size, only object uploads more") {
  ServerProcess server;  // defaults: 4 MiB JSON bodies, 50 MiB objects
  const std::string key = server.service_key();
  const size_t five_mib = size_t{5} * 1024 * 1024;
  const std::string list_body = R"({"prefix":"","limit":10})";
  auto padded = [](const std::string& json, size_t size) {
    return json + std::string(size - json.size(), ' ');
  };
  SUBCASE("a 5 MiB list body is 413 and the connection closed") {
    WireConnection conn(server.port());
    conn.Send(
        Sized("POST", "/storage/v1/object/list/interview-audio", key, padded(list_body, five_mib)));
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(r->header("connection") == "close");
    CHECK(conn.ClosedByServer());
  }
  SUBCASE("every other JSON route is refused from its head alone") {
    const std::pair<const char*, const char*> routes[] = {
        {"POST", "/storage/v1/object/list/interview-audio"},
        {"POST", "/storage/v1/object/sign/interview-audio/svc/a.bin"},
        {"POST", "/storage/v1/object/sign/interview-audio"},
        {"POST", "/storage/v1/object/move"},
        {"POST", "/storage/v1/object/copy"},
        {"DELETE", "/storage/v1/object/interview-audio"},
        {"POST", "/storage/v1/bucket"},
        {"PUT", "/storage/v1/bucket/interview-audio"},
        {"POST", "/storage/v1/object/%6Cist/interview-audio"},  // routed as the list
    };
    for (const auto& [method, target] : routes) {
      CAPTURE(method);
      CAPTURE(target);
      WireConnection conn(server.port());
      conn.Send(Head(method, target, key, "Content-Length: " + std::to_string(five_mib) + "\r\n"));
      auto r = conn.ReadResponse();
      REQUIRE(r);
      CHECK(r->status == 413);
      CHECK(r->header("connection") == "close");
    }
  }
  SUBCASE("positive controls: a 5 MiB upload is stored, a 3 MiB list body is read") {
    for (const char* method : {"POST", "PUT"}) {
      CAPTURE(method);
      WireConnection conn(server.port());
      conn.Send(
          std::string(method) + " /storage/v1/object/interview-audio/svc/five.bin HTTP/1.1\r\n" +
          "Host: test\r\napikey: " + key + "\r\nAuthorization: Bearer " + key +
          "\r\nx-upsert: true\r\nContent-Type: application/octet-stream\r\n" +
          "Content-Length: " + std::to_string(five_mib) + "\r\n\r\n" + std::string(five_mib, 'b'));
      auto r = conn.ReadResponse(std::chrono::seconds(30));
      REQUIRE(r);
      CAPTURE(r->body);
      CHECK(r->status == 200);
    }
    WireConnection conn(server.port());
    conn.Send(Sized("POST", "/storage/v1/object/list/interview-audio", key,
                    padded(R"({"prefix":"svc","limit":10})", size_t{3} * 1024 * 1024)));
    auto r = conn.ReadResponse();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body.find("five.bin") != std::string::npos);
    CHECK(r->header("connection") != "close");
  }
}

TEST_CASE("front door: every response says X-Content-Type-Options: nosniff") {
  ServerProcess server;
  auto ok = server.Send("GET", "/health", "");
  CHECK(ok.header("X-Content-Type-Options") == "nosniff");
  auto missing = server.Send("GET", "/no/such/route", "");
  CHECK(missing.status == 404);
  CHECK(missing.header("X-Content-Type-Options") == "nosniff");
  auto rest = server.Send("GET", "/rest/v1/interview_sessions", server.anon_key(), "",
                          {{"apikey", server.anon_key()}});
  CHECK(rest.status == 200);
  CHECK(rest.header("X-Content-Type-Options") == "nosniff");
  auto preflight = server.Send("OPTIONS", "/rest/v1/interview_sessions", "");
  CHECK(preflight.header("X-Content-Type-Options") == "nosniff");
  // Answers the connection layer writes itself carry it too, and CORS.
  WireConnection conn(server.port());
  conn.Send("GET /a HTTP/1.1\r\nBad Header: x\r\n\r\n");
  auto refused = conn.ReadResponse();
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(refused->header("x-content-type-options") == "nosniff");
  CHECK(refused->header("access-control-allow-origin") == "*");
}

TEST_CASE("front door: a second server on a port in use fails to start, naming the port") {
  ServerProcess first;
  const int first_port = first.port();
  const std::string port = std::to_string(first_port);
  auto second = RunBinary({"serve", "--port", port, "--db", first.dir() + "/second.db",
                           "--jwt-secret", ib::e2e::kTestSecret});
  CHECK(second.status != 0);
  CHECK(second.output.find(":" + port) != std::string::npos);
  CHECK(second.output.find("listening on") == std::string::npos);
  // The first server is still the one answering.
  CHECK(first.Send("GET", "/health", "").status == 200);
  // Positive control: once the port is free again, a server starts on it (at once, although
  // the first one's connections may linger in TIME_WAIT).
  CHECK(first.Stop() == 0);
  ServerProcess again({"--port", port});
  CHECK(again.port() == first_port);
  CHECK(again.Send("GET", "/health", "").status == 200);
}
