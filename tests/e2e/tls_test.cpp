// HTTPS (--tls-cert, --tls-key; server/http/tls_front_end.h) against the real binary, with a
// certificate the test makes with the openssl command: the API over TLS through cpp-httplib's
// client and curl, both verifying the certificate; big bodies both ways and pipelined requests
// through the relay; TLS 1.0 and 1.1 refused by the server itself (its protocol_version alert),
// 1.2 and 1.3 accepted; plain HTTP on the HTTPS port answered by nothing; a silent client cut
// off after the head timeout; the client's own address seen behind the relay; the per-address
// cap, and a failed handshake giving its place back; refusals of bad certificate flags before the
// database is touched; a prompt stop.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/support/server_process.h"

using ib::e2e::Reply;
using ib::e2e::RunBinary;
using ib::e2e::RunProgram;
using ib::e2e::ServerProcess;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// A self-signed certificate for 127.0.0.1 and localhost (its own CA), and its key.
struct TestCertificate {
  TestCertificate() {
    char tmpl[] = "/tmp/ib-tls-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    dir = tmpl;
    cert = dir + "/cert.pem";
    key = dir + "/key.pem";
    auto made = RunProgram({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "2", "-subj", "/CN=interviewbase test", "-addext",
                            "subjectAltName=IP:127.0.0.1,DNS:localhost"});
    REQUIRE_MESSAGE(made.status == 0, made.output);
  }
  ~TestCertificate() { std::filesystem::remove_all(dir); }
  std::vector<std::string> Flags() const { return {"--tls-cert", cert, "--tls-key", key}; }

  std::string dir, cert, key;
};

// An HTTPS server with that certificate; Send() verifies it.
struct TlsServer {
  explicit TlsServer(std::vector<std::string> extra = {}) : server(Args(extra)) {
    server.set_ca_file(certificate.cert);
  }
  std::vector<std::string> Args(std::vector<std::string> extra) const {
    std::vector<std::string> args = ib::e2e::FastPasswords(certificate.Flags());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  TestCertificate certificate;
  ServerProcess server;
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// A TLS client on OpenSSL directly: a chosen protocol range (the client side allows even
// TLS 1.0 at security level 0, so a refusal can only come from the server).
class RawTlsClient {
 public:
  RawTlsClient(int port, int min_version, int max_version, const std::string& ca_file)
      : ctx_(SSL_CTX_new(TLS_client_method()), SSL_CTX_free) {
    SSL_CTX_set_security_level(ctx_.get(), 0);
    SSL_CTX_set_cipher_list(ctx_.get(), "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(ctx_.get(), min_version);
    SSL_CTX_set_max_proto_version(ctx_.get(), max_version);
    SSL_CTX_load_verify_locations(ctx_.get(), ca_file.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_PEER, nullptr);
    fd_ = Connect(port);
    if (fd_ < 0) return;
    ssl_ = SSL_new(ctx_.get());
    SSL_set_fd(ssl_, fd_);
    SSL_set_tlsext_host_name(ssl_, "localhost");
    ERR_clear_error();
    if (SSL_connect(ssl_) == 1) {
      connected_ = true;
    } else {
      error_reason_ = ERR_GET_REASON(ERR_peek_last_error());
    }
  }
  ~RawTlsClient() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (fd_ >= 0) close(fd_);
  }
  RawTlsClient(const RawTlsClient&) = delete;
  RawTlsClient& operator=(const RawTlsClient&) = delete;

  bool connected() const { return connected_; }
  int error_reason() const { return error_reason_; }
  int version() const { return SSL_version(ssl_); }

  bool Write(const std::string& bytes) {
    return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) ==
           static_cast<int>(bytes.size());
  }
  // Everything until the server closes (or the 10 s receive timeout).
  std::string ReadToEnd() {
    std::string out;
    char buf[16384];
    for (;;) {
      int n = SSL_read(ssl_, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx_;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool connected_ = false;
  int error_reason_ = 0;
};

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Whether the server closes `fd` within `within` (reads and drops what it sends meanwhile).
bool ClosedWithin(int fd, milliseconds within, std::string* received = nullptr) {
  const auto deadline = Clock::now() + within;
  char buf[4096];
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<int64_t>(1, left.count()))) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;
    if (received != nullptr) received->append(buf, static_cast<size_t>(n));
  }
  return false;
}

// Sends a plain HTTP request where a TLS handshake is due (so the handshake fails); whether the
// server then closes the connection within 5 s (what it sent meanwhile into `received`).
bool SentPlainHttpAndClosed(int port, std::string* received = nullptr) {
  int fd = Connect(port);
  REQUIRE(fd >= 0);
  const std::string plain = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  REQUIRE(send(fd, plain.data(), plain.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(plain.size()));
  const bool closed = ClosedWithin(fd, milliseconds(5000), received);
  close(fd);
  return closed;
}

}  // namespace

TEST_CASE("tls: the API over HTTPS with a verified certificate: auth, REST, storage") {
  TlsServer t;
  ServerProcess& s = t.server;
  REQUIRE(s.base_url().rfind("https://127.0.0.1:", 0) == 0);

  const std::string uid = s.CreateUser("tls@example.com", "secret123");
  Reply signed_in = s.Send("POST", "/auth/v1/token?grant_type=password", s.anon_key(),
                           R"({"email":"tls@example.com","password":"secret123"})");
  REQUIRE(signed_in.status == 200);
  const std::string token = signed_in.json()["access_token"];

  Reply inserted =
      s.Send("POST", "/rest/v1/interview_sessions", token,
             json({{"user_id", uid}, {"title", "over TLS"}, {"interview_type", "text"}}).dump(),
             {{"Prefer", "return=representation"}});
  REQUIRE(inserted.status == 201);
  Reply listed = s.Send("GET", "/rest/v1/interview_sessions?select=title", token);
  CHECK(listed.status == 200);
  CHECK(listed.json() == json::parse(R"([{"title":"over TLS"}])"));

  // 3 MB up and back down: many TLS records each way through the relay's 16 KiB buffers.
  std::string audio(3 * 1000 * 1000, '\0');
  for (size_t i = 0; i < audio.size(); ++i) audio[i] = static_cast<char>((i * 7919) >> 3);
  Reply uploaded = s.Send("POST", "/storage/v1/object/interview-audio/" + uid + "/answer.webm",
                          token, audio, {{"Content-Type", "audio/webm"}});
  REQUIRE(uploaded.status == 200);
  Reply downloaded = s.Send(
      "GET", "/storage/v1/object/authenticated/interview-audio/" + uid + "/answer.webm", token);
  CHECK(downloaded.status == 200);
  CHECK(downloaded.body.size() == audio.size());
  CHECK(downloaded.body == audio);
}

TEST_CASE("tls: curl with --cacert reads the API, TLS 1.2 and 1.3 alike") {
  TlsServer t;
  ServerProcess& s = t.server;
  for (const char* version : {"--tlsv1.3", "--tlsv1.2"}) {
    std::vector<std::string> argv = {"curl",
                                     "-sS",
                                     "--cacert",
                                     t.certificate.cert,
                                     version,
                                     "-w",
                                     "\\n%{http_code} %{ssl_verify_result}",
                                     "-H",
                                     "apikey: " + s.anon_key(),
                                     s.base_url() + "/rest/v1/leaderboard?select=*"};
    if (std::string(version) == "--tlsv1.2") {
      argv.insert(argv.begin() + 5, {"--tls-max", "1.2"});
    }
    auto got = RunProgram(argv);
    CHECK_MESSAGE(got.status == 0, got.output);
    CHECK(got.output == "[]\n200 0");
  }
  // Without the CA the certificate is not trusted: curl refuses (exit 60).
  auto untrusted = RunProgram({"curl", "-sS", s.base_url() + "/health"});
  CHECK(untrusted.status == 60);
}

TEST_CASE("tls: TLS 1.0 and 1.1 are refused by the server, 1.2 and 1.3 accepted") {
  TlsServer t;
  for (int old_version : {TLS1_VERSION, TLS1_1_VERSION}) {
    RawTlsClient old(t.server.port(), old_version, old_version, t.certificate.cert);
    CHECK_FALSE(old.connected());
    // The server's protocol_version alert: the client itself was willing.
    CHECK(old.error_reason() == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);
  }
  RawTlsClient v12(t.server.port(), TLS1_2_VERSION, TLS1_2_VERSION, t.certificate.cert);
  REQUIRE(v12.connected());
  CHECK(v12.version() == TLS1_2_VERSION);
  RawTlsClient v13(t.server.port(), TLS1_VERSION, TLS1_3_VERSION, t.certificate.cert);
  REQUIRE(v13.connected());
  CHECK(v13.version() == TLS1_3_VERSION);
}

TEST_CASE("tls: pipelined requests on one TLS connection are answered in order") {
  TlsServer t;
  RawTlsClient c(t.server.port(), TLS1_2_VERSION, TLS1_3_VERSION, t.certificate.cert);
  REQUIRE(c.connected());
  std::string requests;
  for (int i = 0; i < 20; ++i) {
    requests += "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: req-" +
                std::to_string(i) + "\r\n" + (i == 19 ? "Connection: close\r\n" : "") + "\r\n";
  }
  REQUIRE(c.Write(requests));
  const std::string replies = c.ReadToEnd();
  CHECK(Count(replies, "HTTP/1.1 200 OK") == 20);
  CHECK(replies.find("X-Request-Id: req-0\r\n") < replies.find("X-Request-Id: req-19\r\n"));
}

TEST_CASE("tls: plain HTTP sent to the HTTPS port gets no HTTP answer and is closed") {
  TlsServer t;
  std::string received;
  CHECK(SentPlainHttpAndClosed(t.server.port(), &received));
  CHECK(received.find("HTTP/") == std::string::npos);
  // The server is unharmed.
  CHECK(t.server.Send("GET", "/health", "").status == 200);
}

TEST_CASE("tls: a client that never completes its handshake is cut off after the head timeout") {
  TlsServer t({"--head-timeout", "1"});
  int fd = Connect(t.server.port());
  REQUIRE(fd >= 0);
  const auto start = Clock::now();
  CHECK(ClosedWithin(fd, milliseconds(5000)));
  CHECK(Clock::now() - start >= milliseconds(900));
  close(fd);
}

TEST_CASE("tls: behind the relay the server sees the client's address, and caps it") {
  TlsServer t({"--max-connections-per-ip", "2"});
  ServerProcess& s = t.server;
  // /metrics answers without a key only to a loopback client, judged by its address.
  CHECK(s.Send("GET", "/metrics", "").status == 200);

  RawTlsClient first(s.port(), TLS1_2_VERSION, TLS1_3_VERSION, t.certificate.cert);
  RawTlsClient second(s.port(), TLS1_2_VERSION, TLS1_3_VERSION, t.certificate.cert);
  REQUIRE(first.connected());
  REQUIRE(second.connected());
  {
    // Past the cap a connection is closed before its handshake.
    RawTlsClient third(s.port(), TLS1_2_VERSION, TLS1_3_VERSION, t.certificate.cert);
    CHECK_FALSE(third.connected());
  }
  REQUIRE(first.Write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
  CHECK(first.ReadToEnd().rfind("HTTP/1.1 200 OK", 0) == 0);
  // Its slot is given back once the server has ended that connection.
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    RawTlsClient again(s.port(), TLS1_2_VERSION, TLS1_3_VERSION, t.certificate.cert);
    served = again.connected();
    if (!served) std::this_thread::sleep_for(milliseconds(50));
  }
  CHECK(served);
}

TEST_CASE("tls: a connection whose handshake fails gives its place in the per-address cap back") {
  TlsServer t({"--max-connections-per-ip", "2"});
  ServerProcess& s = t.server;
  // Four failed handshakes in turn, twice the cap: each place must come back when it fails.
  for (int i = 0; i < 4; ++i) CHECK(SentPlainHttpAndClosed(s.port()));
  // Then the cap's two places are both free (a place may come back a moment after the close).
  bool both = false;
  for (int i = 0; i < 50 && !both; ++i) {
    RawTlsClient first(s.port(), TLS1_2_VERSION, TLS1_3_VERSION, t.certificate.cert);
    RawTlsClient second(s.port(), TLS1_2_VERSION, TLS1_3_VERSION, t.certificate.cert);
    both = first.connected() && second.connected();
    if (!both) std::this_thread::sleep_for(milliseconds(50));
  }
  CHECK(both);
}

TEST_CASE("tls: bad certificate flags are refused before the database is created") {
  TestCertificate cert;
  TestCertificate other;
  const std::string db = cert.dir + "/never.db";
  struct Case {
    std::vector<std::string> flags;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"--tls-cert", cert.cert}, 2, "HTTPS needs both --tls-cert FILE and --tls-key FILE"},
      {{"--tls-cert", cert.dir + "/missing.pem", "--tls-key", cert.key},
       1,
       "cannot read --tls-cert " + cert.dir + "/missing.pem: No such file or directory"},
      {{"--tls-cert", cert.key, "--tls-key", cert.key}, 1, "cannot use --tls-cert"},
      {{"--tls-cert", cert.cert, "--tls-key", cert.cert}, 1, "cannot use --tls-key"},
      {{"--tls-cert", cert.cert, "--tls-key", other.key},
       1,
       "is not the private key of the certificate in " + cert.cert},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"serve", "--db", db, "--port", "0"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    auto got = RunBinary(args);
    CHECK_MESSAGE(got.status == c.status, got.output);
    CHECK_MESSAGE(got.output.find(c.says) != std::string::npos, got.output);
    CHECK_FALSE(std::filesystem::exists(db));
  }
}

TEST_CASE("tls: SIGTERM with TLS clients connected stops the server promptly") {
  TlsServer t;
  RawTlsClient idle(t.server.port(), TLS1_2_VERSION, TLS1_3_VERSION, t.certificate.cert);
  REQUIRE(idle.connected());
  RawTlsClient busy(t.server.port(), TLS1_2_VERSION, TLS1_3_VERSION, t.certificate.cert);
  REQUIRE(busy.connected());
  REQUIRE(busy.Write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  const auto start = Clock::now();
  CHECK(t.server.Stop() == 0);
  CHECK(Clock::now() - start < milliseconds(8000));
}
