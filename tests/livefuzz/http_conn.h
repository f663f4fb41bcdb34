// HttpConn: one keep-alive HTTP/1.1 connection to 127.0.0.1:port over a raw socket, so the
// fuzzer sends exactly the bytes it built (methods, targets and headers a library client would
// refuse or rewrite). Reads one response per request (Content-Length, chunked, or to close) and
// reconnects when the server closed. Not thread-safe: one per worker.
#pragma once

#include <string>
#include <vector>

namespace ib::livefuzz {

struct Response {
  int status = 0;                                            // 0 = no response (see error)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string raw_head;
  std::string error;  // why there is no response: connect, reset, timeout, malformed
  std::string Header(const std::string& lower_name) const;
};

class HttpConn {
 public:
  HttpConn(int port, int timeout_seconds);
  ~HttpConn();
  HttpConn(const HttpConn&) = delete;
  HttpConn& operator=(const HttpConn&) = delete;

  // Sends `bytes` (one whole request) and reads its response. `head_only`: a HEAD request,
  // whose response has no body whatever its Content-Length says.
  Response RoundTrip(const std::string& bytes, bool head_only);
  int reconnects() const { return reconnects_; }
  int stray_answers() const { return stray_answers_; }

 private:
  bool Connect();
  void Close();
  bool HasStrayBytes();
  bool ReadMore();  // appends to buf_; false on EOF, error or timeout
  bool ReadHead(Response& r);
  bool ReadBody(Response& r, bool head_only);

  int port_;
  int timeout_seconds_;
  int fd_ = -1;
  int reconnects_ = 0;
  int stray_answers_ = 0;
  bool peer_closed_ = false;
  std::string buf_;
  std::string last_error_;
};

}  // namespace ib::livefuzz
