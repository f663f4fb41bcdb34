// Shared by the fuzz targets that drive cpp-httplib's server: an httplib::Stream over bytes in
// memory, so one fuzz input is one connection's worth of request bytes, served synchronously
// without a socket. Reads hand out at most `chunk` bytes at a time (as a slow client would
// deliver them); writes (the response) are kept for the target to inspect.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

namespace ib::fuzz {

class MemoryStream : public httplib::Stream {
 public:
  MemoryStream(std::string_view input, size_t chunk) : input_(input), chunk_(chunk ? chunk : 1) {}

  bool is_readable() const override { return pos_ < input_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min({size, chunk_, input_.size() - pos_});
    if (n == 0) return 0;
    std::memcpy(ptr, input_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    output_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 40000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 54321;
  }
  socket_t socket() const override { return INVALID_SOCKET; }

  const std::string& output() const { return output_; }

 private:
  std::string_view input_;
  size_t chunk_;
  size_t pos_ = 0;
  std::string output_;
};

// An httplib::Server whose keep-alive loop is run over a MemoryStream: serves every request the
// bytes hold, in order, as its own connection loop would.
class MemoryServer : public httplib::Server {
 public:
  // Serves requests until the input is used up or the server closes the connection; returns
  // the bytes written back.
  // `setup`, when given, is httplib's setup_request: called with each request after its head
  // is read, before it is routed (FramedServer adds the handler headers there).
  std::string Serve(std::string_view input, size_t chunk, size_t max_requests = 8,
                    const std::function<void(httplib::Request&)>& setup = nullptr) {
    MemoryStream stream(input, chunk);
    for (size_t i = 0; i < max_requests && stream.is_readable(); ++i) {
      bool closed = false;
      if (!process_request(stream, i + 1 == max_requests, closed, setup) || closed) break;
    }
    return stream.output();
  }
};

}  // namespace ib::fuzz
