// WireConnection: one TCP connection to a test server driven byte by byte, for tests of HTTP
// framing that a client library would not let us write (pipelining, lies in Content-Length,
// trickled heads). ReadResponse() parses one response (Content-Length bodies only, which is
// all the server sends to these tests). Single-threaded use.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace ib::e2e {

struct WireResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& lower_name) const;
};

class WireConnection {
 public:
  explicit WireConnection(int port);
  ~WireConnection();
  WireConnection(const WireConnection&) = delete;
  WireConnection& operator=(const WireConnection&) = delete;

  bool Send(const std::string& bytes);
  // The next response, or nullopt when the connection ended or nothing came within `timeout`.
  std::optional<WireResponse> ReadResponse(
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True when the server closed the connection (end of stream) within `timeout`, with no byte
  // of another response before it.
  bool ClosedByServer(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  // Reads more bytes into buf_; false on end of stream, error or timeout.
  bool Fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buf_;
  bool eof_ = false;
};

}  // namespace ib::e2e
