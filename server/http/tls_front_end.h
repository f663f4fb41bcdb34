// TlsFrontEnd: HTTPS (--tls-cert, --tls-key) in front of the FramedServer. The listening socket
// stays httplib's; each accepted TCP connection is handed here (Accept), must complete a TLS 1.2+
// handshake within the handshake deadline, and is then relayed to one end of a Unix socketpair
// whose other end the FramedServer serves exactly like a plain connection: the same framing,
// limits, reactor, access log and WebSocket upgrade (so wss:// needs nothing of its own).
// Decrypted bytes are copied both ways by Asio threads, 16 KiB (one TLS record) at a time per
// direction, so a connection costs two buffers and its TLS state, never a worker while idle.
// When the server side ends (close or half-close), the client gets what was written, then a TLS
// close_notify; its further input is drained for at most the linger time so that closing does
// not reset the connection before the client read its answer. A client that does not take a
// response within the write timeout is disconnected.
// Thread-safe: Accept() may be called from any thread. The certificate and key are read and
// checked by the constructor, which throws std::runtime_error saying what is wrong.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ib::http {

struct TlsOptions {
  std::string cert_file;  // PEM: the certificate, then any intermediates (a chain file)
  std::string key_file;   // PEM: its private key
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds write_timeout{5000};  // one write to the client
  std::chrono::milliseconds linger{2000};         // draining after close_notify
  int threads = 2;                                // Asio threads doing the TLS work
};

class TlsFrontEnd {
 public:
  explicit TlsFrontEnd(const TlsOptions& options);
  ~TlsFrontEnd();
  TlsFrontEnd(const TlsFrontEnd&) = delete;
  TlsFrontEnd& operator=(const TlsFrontEnd&) = delete;

  // Given the plain end of a relayed connection (the callee owns the descriptor). Runs on an
  // Asio thread; must not block.
  using Ready = std::function<void(int plain_fd)>;
  // The connection ended before it was handed over: failed handshake, timeout, or stopping.
  using Failed = std::function<void()>;

  // Takes ownership of an accepted TCP socket; later exactly one of `ready` or `failed` (which
  // may be empty) runs. `ready` is dropped when the connection fails.
  void Accept(int tcp_fd, Ready ready, Failed failed);

  // No connection is handed over after this returns (a handshake finishing later fails).
  void StopHandingOver();
  // Waits up to `grace` for relayed connections to finish, then ends the rest and the threads.
  void Stop(std::chrono::milliseconds grace);

  // Internals shared with the per-connection relay (tls_front_end.cpp).
  struct State;

 private:
  std::unique_ptr<State> state_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

}  // namespace ib::http
