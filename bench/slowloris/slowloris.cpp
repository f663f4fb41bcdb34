// slowloris: keeps N connections to 127.0.0.1:PORT open, each trickling one byte of a request
// head that never ends, and reconnects whenever the server closes one, so the pressure stays
// constant. Single-threaded (poll). For bench/connections.sh; talks to loopback only.
//
//   slowloris PORT CONNECTIONS SECONDS [INTERVAL_MS]
//
// Prints one line `SLOWLORIS key=value ...` at the end: connections opened, closed by the
// server (or refused), the most open at once, and bytes sent.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// The head starts like a real request and then grows one header line byte by byte.
const std::string kPrefix = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

struct Conn {
  int fd = -1;
  size_t sent = 0;
  Clock::time_point next;
};

int Open(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: slowloris PORT CONNECTIONS SECONDS [INTERVAL_MS]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int count = std::atoi(argv[2]);
  const int seconds = std::atoi(argv[3]);
  const int interval_ms = argc > 4 ? std::atoi(argv[4]) : 1000;
  const auto interval = std::chrono::milliseconds(interval_ms);

  long opened = 0, closed_by_server = 0, failed = 0, bytes = 0;
  size_t most_open = 0;
  std::vector<Conn> conns(static_cast<size_t>(count));
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(seconds);
  // Staggered: connection i sends its first byte i/count of an interval after the start.
  for (size_t i = 0; i < conns.size(); ++i) {
    conns[i].next = start + interval * static_cast<long>(i) / count;
  }
  std::vector<pollfd> fds;
  while (Clock::now() < end) {
    const auto now = Clock::now();
    size_t open_now = 0;
    for (auto& c : conns) {
      if (c.fd < 0 && now >= c.next) {
        c.fd = Open(port);
        c.sent = 0;
        if (c.fd < 0) {
          ++failed;
          c.next = now + interval;
          continue;
        }
        ++opened;
      }
      if (c.fd >= 0 && now >= c.next) {
        char byte = c.sent < kPrefix.size() ? kPrefix[c.sent] : 'a';
        ssize_t n = send(c.fd, &byte, 1, MSG_NOSIGNAL);
        if (n == 1) {
          ++c.sent;
          ++bytes;
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN) {
          close(c.fd);
          c.fd = -1;
          ++closed_by_server;
        }
        c.next = now + interval;
      }
      if (c.fd >= 0) ++open_now;
    }
    most_open = std::max(most_open, open_now);
    // Notice closes (EOF, a 4xx answer, a reset) while waiting for the next tick.
    fds.clear();
    std::vector<Conn*> owners;
    for (auto& c : conns) {
      if (c.fd >= 0) {
        fds.push_back({c.fd, POLLIN, 0});
        owners.push_back(&c);
      }
    }
    int rc = poll(fds.data(), fds.size(), 20);
    if (rc > 0) {
      for (size_t i = 0; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buf[4096];
        ssize_t n = recv(fds[i].fd, buf, sizeof buf, 0);
        if (n > 0) continue;  // an answer: the close follows
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        close(fds[i].fd);
        owners[i]->fd = -1;
        owners[i]->next = Clock::now();  // reconnect at once
        ++closed_by_server;
      }
    }
  }
  for (auto& c : conns) {
    if (c.fd >= 0) close(c.fd);
  }
  std::printf(
      "SLOWLORIS connections=%d interval_ms=%d opened=%ld closed_by_server=%ld "
      "connect_failed=%ld most_open=%zu bytes_sent=%ld\n",
      count, interval_ms, opened, closed_by_server, failed, most_open, bytes);
  return 0;
}
