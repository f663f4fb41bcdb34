#include "tests/e2e/support/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace ib::e2e {
namespace {

class Socket {
 public:
  Socket() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket failed");
  }
  ~Socket() { close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in Address(const std::string& ip, int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) {
    throw std::runtime_error("bad address " + ip);
  }
  return addr;
}

Reply Parse(const std::string& raw) {
  const size_t head_end = raw.find("\r\n\r\n");
  if (raw.compare(0, 9, "HTTP/1.1 ") != 0 || head_end == std::string::npos) {
    throw std::runtime_error("no HTTP answer");
  }
  Reply reply;
  reply.status = std::stoi(raw.substr(9, 3));
  size_t line = raw.find("\r\n") + 2;
  while (line < head_end) {
    const size_t end = raw.find("\r\n", line);
    const std::string field = raw.substr(line, end - line);
    const size_t colon = field.find(':');
    if (colon != std::string::npos) {
      const size_t value = field.find_first_not_of(' ', colon + 1);
      reply.headers.emplace(field.substr(0, colon),
                            value == std::string::npos ? "" : field.substr(value));
    }
    line = end + 2;
  }
  reply.body = raw.substr(head_end + 4);
  return reply;
}

}  // namespace

Reply SendFrom(const std::string& source_ip, int port, const std::string& method,
               const std::string& path, const httplib::Headers& headers, const std::string& body) {
  Socket s;
  const sockaddr_in local = Address(source_ip, 0);
  const sockaddr_in remote = Address("127.0.0.1", port);
  if (bind(s.fd(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0 ||
      connect(s.fd(), reinterpret_cast<const sockaddr*>(&remote), sizeof remote) != 0) {
    throw std::runtime_error("connect from " + source_ip + " failed");
  }
  timeval timeout{30, 0};
  setsockopt(s.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string request = method + " " + path +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n\r\n" + body;
  for (size_t done = 0; done < request.size();) {
    const ssize_t n = send(s.fd(), request.data() + done, request.size() - done, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    done += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[16384];
  for (ssize_t n; (n = recv(s.fd(), buf, sizeof buf, 0)) > 0;)
    raw.append(buf, static_cast<size_t>(n));
  return Parse(raw);
}

}  // namespace ib::e2e
