#include "server/http/connection_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ib::http {
namespace {

constexpr size_t kReceiveBytes = size_t{16} * 1024;

// Waits until `fd` has `events`, at most `timeout`; EINTR restarts the wait.
bool WaitFor(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd p{fd, events, 0};
  int rc;
  do {
    rc = poll(&p, 1, static_cast<int>(std::max<int64_t>(0, timeout.count())));
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

template <typename Fn>
void Address(int sock, Fn fn, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (fn(sock, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    port = ntohs(a->sin6_port);
  }
  ip = text;
}

}  // namespace

ConnectionStream::ConnectionStream(socket_t sock, StreamTimeouts timeouts)
    : sock_(sock), timeouts_(timeouts) {}

ssize_t ConnectionStream::Receive(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return -1;
  // Bytes are usually waiting already (the server looks for readability before it reads a
  // head): try first and wait only when there are none, saving a poll per request. Received
  // into a buffer on the stack, so a 300-byte head costs a 300-byte copy rather than the
  // zero-fill of 16 KiB of string.
  char buffer[kReceiveBytes];
  ssize_t n = RecvNow(buffer);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    if (!WaitFor(sock_, POLLIN, std::min(left, timeouts_.read))) return -1;
    n = RecvNow(buffer);
  }
  n = std::max<ssize_t>(n, 0);  // a reset connection ends like a closed one
  in_.append(buffer, static_cast<size_t>(n));
  return n;
}

ssize_t ConnectionStream::RecvNow(char* buffer) {
  ssize_t n;
  do {
    n = recv(sock_, buffer, kReceiveBytes, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  return n;
}

ConnectionStream::HeadStatus ConnectionStream::ReadHead(const HeadLimits& limits) {
  // Whatever the previous request left unread was refused or is the start of this one.
  in_.erase(0, off_);
  off_ = 0;
  const auto deadline = Clock::now() + timeouts_.head;
  size_t scanned = 0;
  for (;;) {
    // Empty lines before a request line are ignored (RFC 9112 2.2): some clients end a body
    // with an extra CRLF.
    size_t skip = 0;
    while (in_.compare(skip, 2, "\r\n") == 0) skip += 2;
    if (skip > 0) {
      in_.erase(0, skip);
      scanned = 0;
    }
    size_t end = FindHeadEnd(in_, scanned);
    if (end != std::string::npos) {
      HeadParse parsed = ParseRequestHead(std::string_view(in_).substr(0, end), limits);
      off_ = end;
      if (!parsed.head) {
        refusal_ = parsed.refusal;
        return HeadStatus::kRefused;
      }
      head_ = std::move(*parsed.head);
      return HeadStatus::kReady;
    }
    scanned = in_.size();
    bool line_too_long =
        in_.find("\r\n") == std::string::npos && in_.size() > limits.max_request_line;
    if (in_.size() > limits.max_head_bytes || line_too_long) {
      refusal_ = HeadRefusal{OversizedHeadStatus(in_, limits), "request head too large"};
      return HeadStatus::kRefused;
    }
    ssize_t n = Receive(deadline);
    if (n == 0 || (n < 0 && in_.empty())) return HeadStatus::kClosed;
    if (n < 0) return HeadStatus::kTimedOut;
  }
}

void ConnectionStream::BeginRequest(uint64_t max_body_bytes) {
  // httplib parses only the headers it reads itself; FramedServer hands it the rest
  // (AddHandlerHeaders) as they were parsed here.
  RenderHeadInto(head_, rendered_head_, HeadersRendered::kHttplibOnly);
  rendered_off_ = 0;
  fault_.reset();
  chunked_.reset();
  length_left_ = 0;
  body_deadline_ = Clock::now() + timeouts_.body;
  switch (head_.framing) {
    case BodyFraming::kNone:
      body_done_ = true;
      break;
    case BodyFraming::kLength:
      length_left_ = head_.content_length;
      body_done_ = length_left_ == 0;
      break;
    case BodyFraming::kChunked:
      chunked_.emplace(max_body_bytes);
      body_done_ = false;
      break;
  }
}

bool ConnectionStream::BodyComplete() const { return body_done_ && !fault_; }

bool ConnectionStream::FillForBody() {
  if (off_ < in_.size()) return true;
  in_.clear();
  off_ = 0;
  ssize_t n = Receive(body_deadline_);
  if (n > 0) return true;
  fault_ = n < 0 ? 408 : 400;  // a stall or the deadline; or the client closed mid-body
  return false;
}

ssize_t ConnectionStream::ReadBody(char* ptr, size_t size) {
  if (body_done_) return 0;
  if (fault_ || !FillForBody()) return -1;
  std::string_view avail(in_.data() + off_, std::min(size, in_.size() - off_));
  size_t n;
  if (chunked_) {
    n = chunked_->Scan(avail);
    switch (chunked_->state()) {
      case ChunkedBodyScanner::State::kInBody:
        break;
      case ChunkedBodyScanner::State::kDone:
        body_done_ = true;
        break;
      case ChunkedBodyScanner::State::kMalformed:
        fault_ = 400;
        break;
      case ChunkedBodyScanner::State::kTooLarge:
        fault_ = 413;
        break;
    }
    if (n == 0) return -1;
  } else {
    n = static_cast<size_t>(std::min<uint64_t>(avail.size(), length_left_));
    length_left_ -= n;
    body_done_ = length_left_ == 0;
  }
  std::memcpy(ptr, avail.data(), n);
  off_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (!Flush()) return -1;  // nothing httplib writes before reading is held; never wait on it
  if (rendered_off_ < rendered_head_.size()) {
    size_t n = std::min(size, rendered_head_.size() - rendered_off_);
    std::memcpy(ptr, rendered_head_.data() + rendered_off_, n);
    rendered_off_ += n;
    return static_cast<ssize_t>(n);
  }
  return ReadBody(ptr, size);
}

bool ConnectionStream::is_readable() const {
  return rendered_off_ < rendered_head_.size() || off_ < in_.size() ||
         WaitFor(sock_, POLLIN, timeouts_.read);
}

bool ConnectionStream::is_writable() const { return WaitFor(sock_, POLLOUT, timeouts_.write); }

namespace {

// httplib writes a response's head and its body with two writes; sent as they come they are
// two syscalls and, with TCP_NODELAY, two packets the client wakes up for. A final (not 1xx)
// head is held and goes out with the first bytes of the body in one sendmsg.
constexpr size_t kMaxHeldHead = size_t{16} * 1024;
bool IsFinalResponseHead(std::string_view bytes) {
  return bytes.size() <= kMaxHeldHead && bytes.size() > 12 && bytes.substr(0, 7) == "HTTP/1." &&
         bytes[9] != '1' && bytes.substr(bytes.size() - 4) == "\r\n\r\n";
}

}  // namespace

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (held_.empty() && IsFinalResponseHead(std::string_view(ptr, size))) {
    held_.assign(ptr, size);
    held_off_ = 0;
    return static_cast<ssize_t>(size);
  }
  if (!held_.empty()) return SendAfterHeld(ptr, size);
  // The socket buffer usually has room for a whole response: send first and wait for room
  // only when there was none (a poll per write saved), within the write timeout.
  ssize_t n = SendNow(ptr, size);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    if (!is_writable()) return -1;
    n = SendNow(ptr, size);
  }
  if (n > 0) bytes_written_ += static_cast<uint64_t>(n);
  return n;
}

ssize_t ConnectionStream::SendAfterHeld(const char* ptr, size_t size) {
  while (held_off_ < held_.size()) {
    const size_t held_left = held_.size() - held_off_;
    iovec parts[2] = {{held_.data() + held_off_, held_left}, {const_cast<char*>(ptr), size}};
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = size == 0 ? 1 : 2;
    ssize_t n;
    do {
      n = sendmsg(sock_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && is_writable()) continue;
      return -1;
    }
    bytes_written_ += static_cast<uint64_t>(n);
    if (static_cast<size_t>(n) < held_left) {
      held_off_ += static_cast<size_t>(n);
      continue;
    }
    held_.clear();
    held_off_ = 0;
    const size_t body_sent = static_cast<size_t>(n) - held_left;
    if (body_sent > 0 || size == 0) return static_cast<ssize_t>(body_sent);
  }
  held_.clear();
  held_off_ = 0;
  return write(ptr, size);
}

bool ConnectionStream::Flush() {
  if (held_.empty()) return true;
  return SendAfterHeld(nullptr, 0) == 0 && held_.empty();
}

ssize_t ConnectionStream::SendNow(const char* ptr, size_t size) {
  ssize_t n;
  do {
    n = send(sock_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  return n;
}

bool ConnectionStream::WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = write(bytes.data(), bytes.size());
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  if (ends_) {
    ip = ends_->remote_ip;
    port = ends_->remote_port;
    return;
  }
  Address(sock_, getpeername, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  if (ends_) {
    ip = ends_->local_ip;
    port = ends_->local_port;
    return;
  }
  Address(sock_, getsockname, ip, port);
}

SocketEnds EndsOf(socket_t sock) {
  SocketEnds ends;
  Address(sock, getpeername, ends.remote_ip, ends.remote_port);
  Address(sock, getsockname, ends.local_ip, ends.local_port);
  return ends;
}

}  // namespace ib::http
