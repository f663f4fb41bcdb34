// FramedServer: the httplib::Server that owns request framing. Each connection is a
// ConnectionStream; every request on it (pipelined or not) is parsed by ParseRequestHead and
// handed to httplib in canonical form, with its body limit and deadlines. Refusals of the head
// or of the body size are answered here. After any response sent before its request was read
// whole, the response says `Connection: close` and the connection ends: no unread byte is
// ever parsed as a request. Every response gets the same fixed headers (FinishResponse).
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "server/http/connection_stream.h"
#include "server/http/request_head.h"

namespace ib::http {

struct FramingLimits {
  HeadLimits head;
  uint64_t max_body_bytes = uint64_t{4} * 1024 * 1024;     // REST, auth and everything else
  uint64_t max_upload_bytes = uint64_t{51} * 1024 * 1024;  // /storage/v1/ (object uploads)
  std::chrono::milliseconds head_timeout{10000};
  std::chrono::milliseconds body_timeout{60000};
  bool log_refusals = true;  // one line on standard error per refused request (--log-requests)
};

class FramedServer : public httplib::Server {
 public:
  FramedServer();

  void set_framing_limits(const FramingLimits& limits) { limits_ = limits; }
  // Headers added to every response, also to the ones FramedServer writes itself (CORS).
  void set_response_decorator(std::function<void(httplib::Response&)> decorate) {
    decorate_ = std::move(decorate);
  }

  // Serves the next request of `strm`: reads and checks its head and body size, answers a
  // refusal itself or lets httplib route it. Returns whether the connection may carry another
  // request. `last`: the connection's last allowed request (its response says close).
  bool ServeOneRequest(ConnectionStream& strm, bool last);

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Waits for the next request's first bytes while the connection is idle; false when it
  // stayed idle past the keep-alive timeout or the server is stopping.
  bool WaitForRequest(ConnectionStream& strm, socket_t sock) const;
  // The post-routing step of every httplib response: fixed headers, body faults, close.
  void FinishResponse(httplib::Response& res) const;
  // Answers `status` itself (JSON error body), logs it, and ends the connection. `head`: the
  // parsed head when there is one.
  void Refuse(ConnectionStream& strm, int status, const std::string& reason,
              const RequestHead* head) const;
  uint64_t BodyLimitFor(const std::string& target) const;

  FramingLimits limits_;
  std::function<void(httplib::Response&)> decorate_;
};

}  // namespace ib::http
