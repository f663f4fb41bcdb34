#include "server/http/connection_reactor.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ib::http {
namespace {

// As much of a queued request as is peeked: a head this long without its blank line is handed
// to the worker, whose head reader refuses it (431/414); a longer body is read by the worker.
constexpr size_t kPeekBytes = size_t{64} * 1024;
constexpr int kSweepMs = 100;  // deadline resolution of parked connections
constexpr int kMaxEvents = 256;

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// The body bytes to wait for after a whole head: its Content-Length, or 0 when there is none,
// it is longer than `window`, it does not parse (the worker's head reader refuses it), or the
// client waits for `100 Continue` before sending the body.
uint64_t AwaitedBodyBytes(std::string_view head, size_t window) {
  uint64_t length = 0;
  size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    std::string_view line = head.substr(pos + 2);
    line = line.substr(0, line.find("\r\n"));
    if (StartsWithNoCase(line, "expect:")) return 0;
    if (StartsWithNoCase(line, "content-length:")) {
      length = 0;
      for (char c : line.substr(15)) {
        if (c == ' ' || c == '\t') continue;
        if (c < '0' || c > '9' || length > window) return 0;
        length = length * 10 + static_cast<uint64_t>(c - '0');
      }
    }
    pos = head.find("\r\n", pos + 2);
  }
  return length > window ? 0 : length;
}

}  // namespace

Connection::~Connection() {
  if (released_) return;
  shutdown(fd_, SHUT_RDWR);
  close(fd_);
}

ConnectionReactor::~ConnectionReactor() {
  Stop();
  std::lock_guard<std::mutex> lock(mu_);
  connections_.clear();
}

bool ConnectionReactor::Start(Dispatch dispatch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return true;
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  if (epoll_fd_ < 0 || wake_fd_ < 0 || epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) {
    if (epoll_fd_ >= 0) close(epoll_fd_);
    if (wake_fd_ >= 0) close(wake_fd_);
    epoll_fd_ = wake_fd_ = -1;
    return false;
  }
  dispatch_ = std::move(dispatch);
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
  return true;
}

void ConnectionReactor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (!thread_.joinable()) return;
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
  }
  thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  close(epoll_fd_);
  close(wake_fd_);
  epoll_fd_ = wake_fd_ = -1;
}

Connection* ConnectionReactor::Adopt(std::unique_ptr<Connection> connection) {
  Connection* c = connection.get();
  std::lock_guard<std::mutex> lock(mu_);
  connections_[c->fd()] = std::move(connection);
  return c;
}

bool ConnectionReactor::Park(Connection* c) {
  // The peek is a syscall on a socket only this worker holds: outside the lock that every
  // worker and the reactor thread take (under it, workers queued on each other's peeks).
  const Peek peek = PeekHead(c->fd());
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_ || epoll_fd_ < 0) {
    EraseLocked(c);
    return false;
  }
  return ParkLocked(c, peek, now);
}

void ConnectionReactor::Close(Connection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  EraseLocked(c);
}

void ConnectionReactor::Linger(Connection* c, std::chrono::milliseconds linger) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_ || epoll_fd_ < 0 || Drain(c->fd())) {
    EraseLocked(c);
    return;
  }
  c->lingering_ = true;
  c->has_bytes_ = false;
  WatchLocked(c, true);
  c->deadline_ = Clock::now() + linger;
  c->parked_ = true;
  ++parked_;
}

bool ConnectionReactor::Drain(int fd) {
  char sink[16384];
  for (;;) {
    ssize_t n = recv(fd, sink, sizeof sink, MSG_DONTWAIT);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
  }
}

size_t ConnectionReactor::OpenConnections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connections_.size();
}

size_t ConnectionReactor::ParkedConnections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return parked_;
}

ConnectionReactor::Peek ConnectionReactor::PeekHead(int fd) const {
  // One buffer per thread (the reactor's and each worker's), left uninitialised: only the bytes
  // a peek copies are ever touched (a vector would zero all 64 KiB in every thread).
  thread_local const std::unique_ptr<char[]> buffer(new char[kPeekBytes]);
  ssize_t n;
  do {
    n = recv(fd, buffer.get(), kPeekBytes, MSG_PEEK | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return Peek::kGone;
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? Peek::kNothing : Peek::kGone;
  std::string_view bytes(buffer.get(), static_cast<size_t>(n));
  if (bytes.size() >= kPeekBytes) return Peek::kReady;
  const size_t head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return Peek::kPartialHead;
  const uint64_t want =
      head_end + 4 + AwaitedBodyBytes(bytes.substr(0, head_end + 2), limits_.body_window);
  return bytes.size() >= want ? Peek::kReady : Peek::kPartialBody;
}

void ConnectionReactor::WatchLocked(Connection* c, bool watch) {
  if (c->watched_ == watch || epoll_fd_ < 0) return;
  // Edge-triggered: every arrival of bytes wakes the loop once, so a parked connection whose
  // head is still partial is looked at again only when more of it comes. Adding a socket that
  // already has bytes queued reports them at once, so none arrive unseen between a peek and
  // the add.
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  ev.data.fd = c->fd();
  epoll_ctl(epoll_fd_, watch ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, c->fd(), &ev);
  c->watched_ = watch;
}

bool ConnectionReactor::ParkLocked(Connection* c, Peek peek, Clock::time_point now) {
  switch (peek) {
    case Peek::kReady:
      if (c->parked_) {
        c->parked_ = false;
        --parked_;
      }
      // A connection being served is not watched: its bytes are its worker's to read, and
      // waking this thread for each of them would cost every request two context switches.
      WatchLocked(c, false);
      return true;
    case Peek::kGone:
      EraseLocked(c);
      return false;
    case Peek::kPartialHead:
    case Peek::kPartialBody:
      if (!c->parked_ || !c->has_bytes_) {
        c->has_bytes_ = true;
        c->deadline_ = now + limits_.head;
      }
      c->head_whole_ = peek == Peek::kPartialBody;
      break;
    case Peek::kNothing:
      if (!c->parked_) {
        c->has_bytes_ = false;
        c->head_whole_ = false;
        c->deadline_ = now + limits_.idle;
      }
      break;
  }
  if (!c->parked_) {
    c->parked_ = true;
    ++parked_;
  }
  WatchLocked(c, true);
  return false;
}

void ConnectionReactor::EraseLocked(Connection* c) {
  if (c->parked_) --parked_;
  connections_.erase(c->fd());  // the destructor closes the socket, which leaves the epoll set
}

void ConnectionReactor::SweepLocked(Clock::time_point now,
                                    std::vector<std::pair<Connection*, bool>>& due) {
  for (auto it = connections_.begin(); it != connections_.end();) {
    Connection* c = it->second.get();
    if (!c->parked_ || (!stopping_ && now < c->deadline_)) {
      ++it;
      continue;
    }
    --parked_;
    c->parked_ = false;
    if (!stopping_ && c->has_bytes_ && !c->lingering_) {
      WatchLocked(c, false);
      due.emplace_back(c, !c->head_whole_);
      ++it;
    } else {
      it = connections_.erase(it);
    }
  }
}

void ConnectionReactor::Loop() {
  epoll_event events[kMaxEvents];
  std::vector<std::pair<Connection*, bool>> ready;  // with whether the head expired
  auto next_sweep = Clock::now() + std::chrono::milliseconds(kSweepMs);
  for (;;) {
    int n = epoll_wait(epoll_fd_, events, kMaxEvents, kSweepMs);
    ready.clear();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        SweepLocked(Clock::now(), ready);
        return;
      }
      const auto now = Clock::now();
      for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == wake_fd_) continue;
        auto it = connections_.find(fd);
        // Bytes for a connection a worker is serving are its worker's to read.
        if (it == connections_.end() || !it->second->parked_) continue;
        Connection* c = it->second.get();
        if (c->lingering_) {
          if (Drain(fd)) EraseLocked(c);
          continue;
        }
        if (ParkLocked(c, PeekHead(fd), now)) ready.emplace_back(c, false);
      }
      if (now >= next_sweep) {
        SweepLocked(now, ready);
        next_sweep = now + std::chrono::milliseconds(kSweepMs);
      }
    }
    for (auto [c, expired] : ready) dispatch_(c, expired);
  }
}

}  // namespace ib::http
