#include "server/http/row_range_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>

namespace ib::http {
namespace {

constexpr size_t kMaxHead = size_t{64} * 1024;  // past this, httplib's own limits answer (431/414)

bool WaitFor(int fd, short events, time_t sec, time_t usec) {
  pollfd p{fd, events, 0};
  int timeout = static_cast<int>(sec * 1000 + usec / 1000);
  int rc;
  do {
    rc = poll(&p, 1, timeout);
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string RewriteRequestHead(std::string_view head) {
  std::string out;
  out.reserve(head.size() + 16);
  size_t pos = 0;
  bool first_line = true;
  while (pos < head.size()) {
    size_t eol = head.find('\n', pos);
    size_t end = eol == std::string_view::npos ? head.size() : eol + 1;
    std::string_view line = head.substr(pos, end - pos);
    pos = end;
    if (!first_line && line.size() > 6 && Lower(line.substr(0, 6)) == "range:") {
      std::string_view value = line.substr(6);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      if (Lower(value.substr(0, 6)) != "bytes=") {
        out += kRowRangeHeader;
        out += ':';
        out.append(line.substr(6));
        continue;
      }
    }
    first_line = false;
    out.append(line);
  }
  return out;
}

namespace {

// A socket stream like httplib's SocketStream (buffered reads, poll timeouts), which reads a
// whole request head before handing out its first byte so the head can be rewritten.
class HeadRewritingStream : public httplib::Stream {
 public:
  HeadRewritingStream(int sock, time_t rs, time_t ru, time_t ws, time_t wu)
      : sock_(sock), read_sec_(rs), read_usec_(ru), write_sec_(ws), write_usec_(wu) {}

  // The next bytes read start a new request head.
  void StartRequest() { in_head_ = true; }
  bool HasBuffered() const { return off_ < buf_.size(); }

  bool is_readable() const override {
    return HasBuffered() || WaitFor(sock_, POLLIN, read_sec_, read_usec_);
  }
  bool is_writable() const override {
    if (!WaitFor(sock_, POLLOUT, write_sec_, write_usec_)) return false;
    pollfd p{sock_, POLLIN, 0};
    if (poll(&p, 1, 0) > 0 && !HasBuffered()) {
      char c;
      if (recv(sock_, &c, 1, MSG_PEEK) == 0) return false;  // peer closed
    }
    return true;
  }

  ssize_t read(char* ptr, size_t size) override {
    if (!HasBuffered()) {
      buf_.clear();
      off_ = 0;
      ssize_t n = in_head_ ? FillHead() : Fill(size);
      if (n <= 0) return n;
    }
    size_t n = std::min(size, buf_.size() - off_);
    std::memcpy(ptr, buf_.data() + off_, n);
    off_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    Address(getpeername, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    Address(getsockname, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  ssize_t Recv(char* ptr, size_t size) {
    if (!WaitFor(sock_, POLLIN, read_sec_, read_usec_)) return -1;
    ssize_t n;
    do {
      n = recv(sock_, ptr, size, 0);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  ssize_t Fill(size_t want) {
    buf_.resize(std::max<size_t>(want, 4096));
    ssize_t n = Recv(buf_.data(), buf_.size());
    buf_.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return n;
  }

  // Reads until the blank line that ends the head (or kMaxHead), rewrites the head, and keeps
  // any body bytes that came along after it untouched.
  ssize_t FillHead() {
    std::string raw;
    char chunk[4096];
    size_t head_end = std::string::npos;
    while (head_end == std::string::npos && raw.size() < kMaxHead) {
      ssize_t n = Recv(chunk, sizeof chunk);
      if (n <= 0) {
        if (raw.empty()) return n;
        break;  // let httplib see what arrived and answer it
      }
      raw.append(chunk, static_cast<size_t>(n));
      head_end = raw.find("\r\n\r\n");
    }
    in_head_ = false;
    if (head_end == std::string::npos) {
      buf_ = std::move(raw);
    } else {
      buf_ = RewriteRequestHead(std::string_view(raw).substr(0, head_end + 4));
      buf_.append(raw, head_end + 4, std::string::npos);
    }
    return static_cast<ssize_t>(buf_.size());
  }

  template <typename Fn>
  void Address(Fn fn, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (fn(sock_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
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

  int sock_;
  time_t read_sec_, read_usec_, write_sec_, write_usec_;
  std::string buf_;
  size_t off_ = 0;
  bool in_head_ = true;
};

}  // namespace

bool RowRangeServer::process_and_close_socket(socket_t sock) {
  int on = 1;
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  HeadRewritingStream strm(sock, read_timeout_sec_, read_timeout_usec_, write_timeout_sec_,
                           write_timeout_usec_);
  bool ret = false;
  size_t count = keep_alive_max_count_;
  // As httplib's keep-alive loop: serve requests until the count runs out, the client goes
  // idle past the keep-alive timeout, or the server stops.
  while (svr_sock_ != INVALID_SOCKET && count > 0) {
    auto idle_since = std::chrono::steady_clock::now();
    bool ready = strm.HasBuffered();
    while (!ready && svr_sock_ != INVALID_SOCKET) {
      ready = WaitFor(sock, POLLIN, 0, 10000);
      if (!ready && std::chrono::steady_clock::now() - idle_since >
                        std::chrono::seconds(keep_alive_timeout_sec_)) {
        break;
      }
    }
    if (!ready) break;
    strm.StartRequest();
    bool connection_closed = false;
    ret = process_request(strm, count == 1, connection_closed, nullptr);
    if (!ret || connection_closed) break;
    --count;
  }
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return ret;
}

}  // namespace ib::http
