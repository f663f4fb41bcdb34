// ConnectionReactor: keeps the connections that wait for their next request, so an idle
// keep-alive connection costs a socket, not a worker thread. One thread watches every parked
// socket with epoll; when one has a whole request queued (head, and a Content-Length body up to
// the body window; peeked, never read: the connection's own stream reads it), it goes to
// `dispatch`, which runs it on a worker. So neither an idle client nor one trickling its head
// holds a worker. Parked connections idle past the keep-alive timeout are closed here; one
// still short of a whole head past the head timeout is dispatched as expired (its worker
// answers 408); one whose head came but not yet its body is dispatched at that deadline and
// its worker reads the rest under the body deadline. Stop() closes all parked ones at once.
// Ownership: the reactor owns every adopted Connection; the worker serving one owns it until it
// calls Park() (which may hand it back at once) or Close(). Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace ib::http {

class ConnectionReactor;

// One accepted socket. Subclasses add the stream and whatever else serving it needs; the
// destructor closes the socket.
class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  virtual ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const { return fd_; }
  // The socket now belongs to someone else (an upgraded WebSocket): closing this connection
  // leaves it open.
  void Release() { released_ = true; }

 private:
  friend class ConnectionReactor;
  using Clock = std::chrono::steady_clock;
  const int fd_;
  bool released_ = false;
  // Guarded by the reactor's mutex.
  bool parked_ = false;
  bool has_bytes_ = false;        // part of a request has arrived since parking
  bool head_whole_ = false;       // ... and that part holds the whole head
  bool lingering_ = false;        // closing: input is only drained (counts as parked)
  bool watched_ = false;          // in the epoll set (only while parked or lingering)
  Clock::time_point deadline_{};  // when a parked connection is closed
};

struct ReactorLimits {
  std::chrono::milliseconds idle{3000};   // parked with nothing received
  std::chrono::milliseconds head{10000};  // from the first byte of a request to the whole of it
  // The longest Content-Length body awaited here before a worker takes the request (at most
  // the 64 KiB peek window). Keep it within the body limit: a body past the limit is refused
  // from its head alone, and must not wait here for bytes that will never be read.
  size_t body_window = size_t{64} * 1024;
};

class ConnectionReactor {
 public:
  // `expired`: the head did not arrive whole before the head deadline.
  using Dispatch = std::function<void(Connection*, bool expired)>;

  explicit ConnectionReactor(ReactorLimits limits) : limits_(limits) {}
  ~ConnectionReactor();
  ConnectionReactor(const ConnectionReactor&) = delete;
  ConnectionReactor& operator=(const ConnectionReactor&) = delete;

  // Starts the thread. `dispatch` is called on it, outside any lock, with a connection whose
  // request is ready or whose deadline passed; it must only hand the connection to a worker,
  // never block. False when epoll cannot be set up.
  bool Start(Dispatch dispatch);
  // Closes every parked connection and joins the thread; Park() closes from then on. Serving
  // connections are left to their workers.
  void Stop();

  // Takes ownership of a new connection; the caller serves it (it is not parked).
  Connection* Adopt(std::unique_ptr<Connection> connection);
  // The worker has answered and has no bytes of the next request buffered. True: the next head
  // is already queued on the socket, keep serving. False: the reactor owns it now (parked, or
  // closed because the peer left or the reactor is stopping); do not touch it again.
  bool Park(Connection* connection);
  // Closes a connection its worker owns.
  void Close(Connection* connection);
  // Closes a connection whose sending side the worker has shut down after an answer sent
  // before the request was read whole: until the peer closes or `linger` passes, what it still
  // sends is read and dropped here, so the kernel does not answer it with a reset that could
  // destroy the answer before the client read it, and no worker waits for that.
  void Linger(Connection* connection, std::chrono::milliseconds linger);

  size_t OpenConnections() const;
  size_t ParkedConnections() const;

 private:
  enum class Peek { kReady, kPartialHead, kPartialBody, kNothing, kGone };

  // Reads and drops what a lingering connection has; true when the peer has closed.
  static bool Drain(int fd);
  using Clock = Connection::Clock;

  Peek PeekHead(int fd) const;
  void Loop();
  // Under mu_: parks or closes per `peek`; returns true when the head is ready (not parked).
  bool ParkLocked(Connection* c, Peek peek, Clock::time_point now);
  void EraseLocked(Connection* c);
  // Adds a connection to the epoll set or removes it (idempotent).
  void WatchLocked(Connection* c, bool watch);
  // Closes parked connections past their deadline, or moves them to `due` (with whether the
  // head expired) when a worker must answer them.
  void SweepLocked(Clock::time_point now, std::vector<std::pair<Connection*, bool>>& due);

  const ReactorLimits limits_;
  Dispatch dispatch_;
  mutable std::mutex mu_;
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;  // by fd
  size_t parked_ = 0;
  bool stopping_ = false;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
};

}  // namespace ib::http
