#include "tests/livefuzz/http_conn.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ib::livefuzz {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string Response::Header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return "";
}

HttpConn::HttpConn(int port, int timeout_seconds)
    : port_(port), timeout_seconds_(timeout_seconds) {}

HttpConn::~HttpConn() { Close(); }

void HttpConn::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buf_.clear();
  peer_closed_ = false;
}

bool HttpConn::Connect() {
  Close();
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return false;
  timeval tv{timeout_seconds_, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    last_error_ = std::string("connect: ") + std::strerror(errno);
    Close();
    return false;
  }
  ++reconnects_;
  return true;
}

bool HttpConn::ReadMore() {
  char chunk[16384];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n > 0) {
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  if (n == 0) {
    last_error_ = "connection closed by the server";
  } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
    last_error_ = "timeout after " + std::to_string(timeout_seconds_) + " s";
  } else {
    last_error_ = std::string("recv: ") + std::strerror(errno);
  }
  peer_closed_ = true;
  return false;
}

bool HttpConn::ReadHead(Response& r) {
  size_t end;
  while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore()) return false;
  }
  r.raw_head = buf_.substr(0, end);
  buf_.erase(0, end + 4);
  size_t line_end = r.raw_head.find("\r\n");
  std::string status_line = r.raw_head.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
    last_error_ = "malformed status line: " + status_line;
    return false;
  }
  r.status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end == std::string::npos ? r.raw_head.size() : line_end + 2;
  while (pos < r.raw_head.size()) {
    size_t next = r.raw_head.find("\r\n", pos);
    if (next == std::string::npos) next = r.raw_head.size();
    std::string line = r.raw_head.substr(pos, next - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      r.headers.emplace_back(Lower(line.substr(0, colon)), Trim(line.substr(colon + 1)));
    }
    pos = next + 2;
  }
  return true;
}

bool HttpConn::ReadBody(Response& r, bool head_only) {
  if (head_only || r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200)) {
    return true;
  }
  if (Lower(r.Header("transfer-encoding")).find("chunked") != std::string::npos) {
    for (;;) {
      size_t eol;
      while ((eol = buf_.find("\r\n")) == std::string::npos) {
        if (!ReadMore()) return false;
      }
      size_t size = std::strtoul(buf_.substr(0, eol).c_str(), nullptr, 16);
      buf_.erase(0, eol + 2);
      while (buf_.size() < size + 2) {
        if (!ReadMore()) return false;
      }
      r.body.append(buf_, 0, size);
      buf_.erase(0, size + 2);
      if (size == 0) return true;
    }
  }
  std::string length = r.Header("content-length");
  if (!length.empty()) {
    size_t n = std::strtoul(length.c_str(), nullptr, 10);
    while (buf_.size() < n) {
      if (!ReadMore()) return false;
    }
    r.body = buf_.substr(0, n);
    buf_.erase(0, n);
    return true;
  }
  while (ReadMore()) {
  }
  r.body = std::move(buf_);
  buf_.clear();
  peer_closed_ = true;
  return true;
}

bool HttpConn::HasStrayBytes() {
  if (!buf_.empty()) return true;
  if (fd_ < 0) return false;
  char c;
  ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n > 0;
}

Response HttpConn::RoundTrip(const std::string& bytes, bool head_only) {
  Response r;
  // Bytes waiting before a request answer nothing this client asked (the server parsed the
  // rest of an earlier request as a new one, or sent a body after a HEAD): counted, and the
  // connection dropped so they are never taken for the next answer.
  if (!peer_closed_ && HasStrayBytes()) {
    ++stray_answers_;
    Close();
  }
  if ((fd_ < 0 || peer_closed_) && !Connect()) {
    r.error = last_error_;
    return r;
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) before reading all; read what it says
    sent += static_cast<size_t>(n);
  }
  bool ok = ReadHead(r);
  // Interim answers (100 Continue to an Expect header) precede the real one.
  while (ok && r.status >= 100 && r.status < 200 && r.status != 101) {
    r = Response{};
    ok = ReadHead(r);
  }
  if (!ok || !ReadBody(r, head_only)) {
    r.error = last_error_;
    if (r.status != 0 && r.error.empty()) r.error = "truncated response";
    Close();
    return r;
  }
  if (Lower(r.Header("connection")) == "close") Close();
  return r;
}

}  // namespace ib::livefuzz
