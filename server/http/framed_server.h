// FramedServer: the httplib::Server that owns request framing. Each connection is a
// ConnectionStream; every request on it (pipelined or not) is parsed by ParseRequestHead and
// handed to httplib in canonical form, with its body limit and deadlines. Refusals of the head
// or of the body size are answered here. After any response sent before its request was read
// whole, the response says `Connection: close` and the connection ends: no unread byte is
// ever parsed as a request. Every response gets the same fixed headers (FinishResponse).
// Between requests a keep-alive connection holds no worker: it waits in a ConnectionReactor
// and returns to the worker pool when its next request has arrived (docs/architecture.md,
// "Connections"). A new connection past the per-address cap is answered 429 and closed.
// Every request it reads (refused or routed) gets a request id, echoed as X-Request-Id, is
// counted in HttpMetrics and, when asked, logged as one access line (server/http/access_log.h).
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "server/http/access_log.h"
#include "server/http/connection_stream.h"
#include "server/http/http_metrics.h"
#include "server/http/ip_connection_cap.h"
#include "server/http/request_head.h"

namespace ib::http {

struct FramingLimits {
  HeadLimits head;
  uint64_t max_body_bytes = uint64_t{4} * 1024 * 1024;     // every request but object uploads
  uint64_t max_upload_bytes = uint64_t{51} * 1024 * 1024;  // object uploads (body_limit.h)
  std::chrono::milliseconds head_timeout{10000};
  std::chrono::milliseconds body_timeout{60000};
};

class Connection;
class ConnectionReactor;
class TlsFrontEnd;
class WorkerPool;

class FramedServer : public httplib::Server {
 public:
  FramedServer();
  ~FramedServer() override;

  // The worker pool's size and the most open connections per client address (0: no cap).
  // Before Run.
  void set_connection_limits(int threads, int max_connections_per_ip);
  // After a bind: lets the kernel queue as many unaccepted connections as it allows (httplib
  // listens with a backlog of 5, so a burst of new clients waited for SYN retries of 1-3 s).
  void WidenListenBacklog();

  void set_framing_limits(const FramingLimits& limits) { limits_ = limits; }
  // HTTPS: every accepted connection goes through `tls` (which must outlive the server's Run)
  // and is served from its plain end. Before Run.
  void set_tls(TlsFrontEnd* tls) { tls_ = tls; }
  // Where each request is counted (must outlive the server) and whether and how it is logged.
  // Before Run.
  void set_access(HttpMetrics& metrics, bool log, LogFormat format) {
    metrics_ = &metrics;
    log_access_ = log;
    log_format_ = format;
  }
  // Headers added to every response, also to the ones FramedServer writes itself (CORS).
  // Offered every request head before anything else: true when it took the request (answered
  // it, or took the socket over with ConnectionStream::HandOver); the connection then ends.
  void set_upgrade_handler(std::function<bool(ConnectionStream&)> handler) {
    upgrade_ = std::move(handler);
  }
  // The decorator is given the request's Origin header ("" when none or not yet parsed).
  void set_response_decorator(
      std::function<void(std::string_view origin, httplib::Response&)> decorate) {
    decorate_ = std::move(decorate);
  }

  // Serves the next request of `strm`: reads and checks its head and body size, answers a
  // refusal itself or lets httplib route it. Returns whether the connection may carry another
  // request. `last`: the connection's last allowed request (its response says close).
  // `peer`: the client's address (its share of body-reading workers).
  bool ServeOneRequest(ConnectionStream& strm, bool last, const std::string& peer);

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Starts serving a connection (owning `fd` and `place`, its place in the per-address count).
  // `ends`: the client's TCP connection, whose remote address is the one counted (for the plain
  // end of a TLS relay, `relayed`, the connection the relay decrypts).
  void Adopt(int fd, AddressPlace place, SocketEnds ends, bool relayed);
  // A worker's turn with a connection the reactor found ready (or whose head deadline passed:
  // `expired`): serves its requests until it parks again or ends.
  void Serve(Connection* connection, bool expired);
  // Waits a moment for the next request on a connection just answered, when the pool can
  // spare the worker and the connection's client has been prompt (HotWaitHabit), so a prompt
  // client is served without parking (kHotWaitMs).
  void AwaitNextRequest(Connection* connection);
  // Ends a connection its worker owns; lingers in the reactor when input was left unread.
  void End(Connection* connection);
  StreamTimeouts Timeouts() const;
  // httplib's task queue for one listen: the worker pool and the reactor that feeds it.
  httplib::TaskQueue* NewTaskQueue();
  // The post-routing step of every httplib response: fixed headers, body faults, close.
  void FinishResponse(const httplib::Request& req, httplib::Response& res) const;
  // Answers `status` itself (JSON error body) and ends the connection; `reason` goes to the
  // access log. `head`: the parsed head when there is one (its Origin decides CORS).
  void Refuse(ConnectionStream& strm, int status, const std::string& reason,
              const RequestHead* head = nullptr) const;

  FramingLimits limits_;
  HttpMetrics own_metrics_;  // counts when set_access gave none (tests' servers)
  HttpMetrics* metrics_ = &own_metrics_;
  bool log_access_ = false;
  LogFormat log_format_ = LogFormat::kText;
  std::function<void(std::string_view, httplib::Response&)> decorate_;
  std::function<bool(ConnectionStream&)> upgrade_;
  int threads_ = 8;
  std::shared_ptr<IpConnectionCap> cap_ = std::make_shared<IpConnectionCap>(0);
  // Workers reading a body that had not arrived whole, per address: at most half the pool.
  std::shared_ptr<IpConnectionCap> body_readers_ = std::make_shared<IpConnectionCap>(0);
  size_t body_window_ = size_t{64} * 1024;      // bodies up to this long arrive before a worker
  std::unique_ptr<ConnectionReactor> reactor_;  // made by each listen, stopped by its shutdown
  WorkerPool* pool_ = nullptr;                  // the listen's task queue (httplib owns it)
  TlsFrontEnd* tls_ = nullptr;
};

}  // namespace ib::http
