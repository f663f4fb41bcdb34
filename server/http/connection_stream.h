// ConnectionStream: one client socket as an httplib::Stream that hands httplib exactly one
// request at a time: the head we parsed (rendered canonically, row Range renamed), then only
// that request's body as its framing delimits it. Bytes of a next, pipelined request stay
// buffered for the next ReadHead(), so every request is parsed and rewritten the same way.
// Enforces the deadlines for a whole head and a whole body on top of the per-recv timeout,
// and the body limit (chunked bodies counted as they pass). One thread at a time; not shared.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/http/chunked_body.h"
#include "server/http/request_head.h"

namespace ib::http {

struct StreamTimeouts {
  std::chrono::milliseconds read{5000};   // one wait for bytes from the client
  std::chrono::milliseconds write{5000};  // one wait for the client to take bytes
  std::chrono::milliseconds head{10000};  // the whole request head, from its first byte
  std::chrono::milliseconds body{60000};  // the whole request body, from the end of its head
};

// A TCP connection's two ends, as text addresses and ports.
struct SocketEnds {
  std::string remote_ip;
  int remote_port = 0;
  std::string local_ip;
  int local_port = 0;
};
// Read from the socket (getpeername, getsockname); empty where it has no IP address.
SocketEnds EndsOf(socket_t sock);

class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(socket_t sock, StreamTimeouts timeouts);

  enum class HeadStatus {
    kReady,     // head() holds the parsed head
    kClosed,    // the client closed, or sent nothing, before a head began
    kTimedOut,  // part of a head arrived, the rest not within the head deadline
    kRefused,   // refusal() says why and with which status
  };
  // Reads the next request head, from bytes already buffered first, then from the socket.
  HeadStatus ReadHead(const HeadLimits& limits);
  const RequestHead& head() const { return head_; }
  const HeadRefusal& refusal() const { return refusal_; }

  // Starts handing out the current head (rendered) and then its body, at most `max_body_bytes`
  // of data, before the body deadline.
  void BeginRequest(uint64_t max_body_bytes);
  // Whether the current request's body has been read whole (no body counts as whole).
  bool BodyComplete() const;
  // The status a failure while reading the body calls for: 400 malformed chunked framing, 408
  // deadline or stalled client, 413 past the body limit; nullopt when there was none.
  std::optional<int> BodyFault() const { return fault_; }
  // Bytes already read past the current request (the start of a pipelined one).
  bool HasBuffered() const { return body_done_ && off_ < in_.size(); }

  bool WriteAll(std::string_view bytes);
  // Sends a response head that write() held back for its body (see write()); false if the
  // client did not take it in time. Called once a request is answered.
  bool Flush();
  // Bytes sent to the client so far (the access log's size of a response is a difference).
  uint64_t bytes_written() const { return bytes_written_; }

  // Bytes read past the current head and not handed out.
  bool HasUnreadInput() const { return off_ < in_.size(); }
  // The socket goes to another protocol after this head (a WebSocket upgrade): its connection
  // ends without closing it, and then `adopt` runs (so the new owner never races the
  // connection's own bookkeeping of the descriptor). `adopt` receives the connection's place in
  // the per-address count: the new owner keeps it while the socket is open.
  using Adopt = std::function<void(std::shared_ptr<const void> address_place)>;
  void HandOver(Adopt adopt) { handover_ = std::move(adopt); }
  bool handed_over() const { return static_cast<bool>(handover_); }
  Adopt TakeHandover() { return std::move(handover_); }

  // Records that the connection ends with input left unread (a refusal, or a response sent
  // before its body was read); its close must then linger (ConnectionReactor::Linger).
  void AbandonInput() { abandoned_ = true; }
  bool InputAbandoned() const { return abandoned_ || !BodyComplete(); }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  // The client's and our own address as the request sees them, read once per connection
  // (without them each request asks the socket), and for a TLS relay's socketpair end, where
  // getpeername tells nothing useful, the client's TCP connection's.
  void set_ends(SocketEnds ends) { ends_ = std::move(ends); }
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

 private:
  using Clock = std::chrono::steady_clock;

  // Appends what the socket has (up to one buffer) to in_; waits at most the read timeout and
  // never past `deadline`. Returns bytes read, 0 when the client closed or reset, -1 when no
  // byte came in time.
  ssize_t Receive(Clock::time_point deadline);
  // One recv/send that does not block (EINTR retried): -1 with EAGAIN when nothing is ready.
  ssize_t RecvNow(char* buffer);  // at most kReceiveBytes into `buffer`
  ssize_t SendNow(const char* ptr, size_t size);
  // Sends the held head and then `ptr`; returns the bytes of `ptr` sent (as write()).
  ssize_t SendAfterHeld(const char* ptr, size_t size);
  // Makes sure some unread bytes are buffered for the body; false (fault_ set) if none come.
  bool FillForBody();
  ssize_t ReadBody(char* ptr, size_t size);

  socket_t sock_;
  StreamTimeouts timeouts_;
  std::string in_;  // bytes read from the socket; [off_, end) not yet handed out
  size_t off_ = 0;
  RequestHead head_;
  HeadRefusal refusal_;
  std::string rendered_head_;  // what httplib reads first
  size_t rendered_off_ = 0;
  uint64_t length_left_ = 0;  // BodyFraming::kLength
  std::optional<ChunkedBodyScanner> chunked_;
  Clock::time_point body_deadline_{};
  std::optional<int> fault_;
  bool body_done_ = true;
  bool abandoned_ = false;
  uint64_t bytes_written_ = 0;
  std::string held_;  // a response head waiting for its body; [held_off_, end) not yet sent
  size_t held_off_ = 0;
  Adopt handover_;
  std::optional<SocketEnds> ends_;
};

}  // namespace ib::http
