#include "server/http/framed_server.h"

#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>

#include "server/http/access_record.h"
#include "server/http/body_limit.h"
#include "server/http/connection_reactor.h"
#include "server/http/handler_headers.h"
#include "server/http/hot_wait_habit.h"
#include "server/http/request_id.h"
#include "server/http/tls_front_end.h"
#include "server/http/worker_pool.h"
#include "storage/error.h"

namespace ib::http {
namespace {

// Headers every response carries, whoever writes it.
constexpr std::pair<const char*, const char*> kEveryResponse[] = {
    // Browsers must not guess an active type from a body (stored objects are user content).
    {"X-Content-Type-Options", "nosniff"},
};

// The connection whose request this worker thread is serving: FinishResponse runs inside
// httplib's process_request, which gives it only the request and the response.
thread_local ConnectionStream* tl_current = nullptr;

class CurrentConnection {
 public:
  explicit CurrentConnection(ConnectionStream& strm) { tl_current = &strm; }
  ~CurrentConnection() { tl_current = nullptr; }
  CurrentConnection(const CurrentConnection&) = delete;
  CurrentConnection& operator=(const CurrentConnection&) = delete;
};

void ReplaceHeader(httplib::Response& res, const char* name, const std::string& value) {
  res.headers.erase(name);
  res.set_header(name, value);
}

std::string_view OriginOf(const RequestHead& head) {
  for (const auto& [name, value] : head.headers) {
    if (name.size() == 6 && strncasecmp(name.c_str(), "Origin", 6) == 0) return value;
  }
  return {};
}

void AddFixedHeaders(httplib::Response& res) {
  for (const auto& [name, value] : kEveryResponse) ReplaceHeader(res, name, value);
}

const char* Reason(int status) {
  switch (status) {
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Bad Request";
  }
}

void SetErrorBody(httplib::Response& res, int status) {
  res.status = status;
  res.set_content(storage::Error::FromHttpStatus(status).ToJson(),
                  "application/json; charset=utf-8");
  ReplaceHeader(res, "Content-Length", std::to_string(res.body.size()));
}

// One request as the access log and the metrics see it, from its head (or a refusal without
// one) to its last byte sent: it is this thread's current AccessRecord meanwhile.
class RequestAccess {
 public:
  RequestAccess(HttpMetrics& metrics, bool log, LogFormat format, const ConnectionStream& strm)
      : metrics_(metrics),
        log_(log),
        format_(format),
        strm_(strm),
        bytes_before_(strm.bytes_written()),
        current_(record_) {
    record_.service = "other";
    record_.logged = log;
    metrics_.RequestStarted();
  }
  ~RequestAccess() {
    record_.bytes = strm_.bytes_written() - bytes_before_;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - record_.start).count();
    const std::string_view route = record_.route.empty() ? "-" : std::string_view(record_.route);
    metrics_.CountRequest(record_.service, MethodLabel(record_.method), route, record_.status,
                          seconds);
    metrics_.RequestEnded();
    if (record_.request_id.empty()) record_.request_id = NewRequestId();
    if (log_) WriteAccessLine(record_, format_);
  }
  RequestAccess(const RequestAccess&) = delete;
  RequestAccess& operator=(const RequestAccess&) = delete;

  // What the head says: method, service and the client's request id (kept if acceptable).
  void Begin(const RequestHead& head) {
    record_.method = head.method;
    const std::string_view target = head.target;
    record_.service = ServiceOf(target.substr(0, target.find('?')));
    std::string_view client_id;
    for (const auto& [name, value] : head.headers) {
      if (name.size() == 12 && strncasecmp(name.c_str(), "x-request-id", 12) == 0) {
        client_id = value;
        break;
      }
    }
    record_.request_id = RequestIdFor(client_id);
  }
  AccessRecord& record() { return record_; }

 private:
  HttpMetrics& metrics_;
  const bool log_;
  const LogFormat format_;
  const ConnectionStream& strm_;
  const uint64_t bytes_before_;
  AccessRecord record_;
  CurrentAccessScope current_;
};

// The request id of the request being answered (a new one when it has none yet).
const std::string& CurrentRequestId() {
  AccessRecord* record = CurrentAccess();
  thread_local std::string none;
  if (record == nullptr) return none = NewRequestId();
  if (record->request_id.empty()) record->request_id = NewRequestId();
  return record->request_id;
}

// How long a connection ended with unread input keeps draining it (in the reactor) so that
// closing does not reset the connection before the client read the answer.
constexpr auto kLinger = std::chrono::milliseconds(2000);
// How long a worker that has just answered waits on its connection for the next request before
// parking it. A client that sends its next request as soon as it has the answer (an SDK's
// sequence of calls, a load test) is then served without the reactor's round trip of two
// thread wake-ups; a connection that stays quiet costs a worker this long at most, and only
// while the pool has workers to spare (WorkerPool::TryBeginHotWait), and is not spent on a
// client that paces its requests (HotWaitHabit).
constexpr int kHotWaitMs = 2;

// A connection between requests keeps its stream (and what it has buffered) here; its place in
// the per-address count is given back when it closes, or goes with its socket when a WebSocket
// upgrade hands the socket over.
class ServedConnection : public Connection {
 public:
  ServedConnection(int fd, StreamTimeouts timeouts, std::string ip, AddressPlace place,
                   size_t max_requests, HttpMetrics& metrics)
      : Connection(fd),
        stream(fd, timeouts),
        requests_left(max_requests),
        place(std::move(place)),
        hot_wait(std::chrono::milliseconds(kHotWaitMs)),
        ip_(std::move(ip)),
        metrics_(metrics) {
    metrics_.ConnectionOpened();
  }
  ~ServedConnection() override { metrics_.ConnectionClosed(); }

  const std::string& ip() const { return ip_; }

  ConnectionStream stream;
  size_t requests_left;
  AddressPlace place;
  HotWaitHabit hot_wait;

 private:
  std::string ip_;
  HttpMetrics& metrics_;
};

// Answers 429 on a connection refused by the per-address cap and closes it. The socket is new,
// so its send buffer is empty and the short answer goes out without blocking.
void RefuseConnection(int fd) {
  std::string body = storage::Error::TooManyConnections().ToJson();
  std::string response =
      "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json; charset=utf-8\r\n"
      "X-Content-Type-Options: nosniff\r\nConnection: close\r\nX-Request-Id: " +
      NewRequestId() + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  (void)!send(fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  shutdown(fd, SHUT_WR);
  // Drop what the client already sent, so closing does not reset the connection before it
  // reads the answer.
  char drain[4096];
  while (recv(fd, drain, sizeof drain, MSG_DONTWAIT) > 0) {
  }
  close(fd);
}

// Whether the client waits for `100 Continue` before sending its body (so the reactor handed the
// connection over with the head alone).
bool ExpectsContinue(const RequestHead& head) {
  for (const auto& [name, value] : head.headers) {
    if (name.size() == 6 && strncasecmp(name.c_str(), "expect", 6) == 0) return true;
  }
  return false;
}

// One of an address's body-reading workers, for one request; `needed` false holds nothing.
class BodyReaderSlot {
 public:
  BodyReaderSlot(IpConnectionCap& readers, const std::string& ip, bool needed)
      : place_(needed ? readers.TryHold(ip) : nullptr), held_(!needed || place_ != nullptr) {}
  bool held() const { return held_; }

 private:
  const AddressPlace place_;
  const bool held_;
};

}  // namespace

FramedServer::FramedServer() {
  set_post_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { FinishResponse(req, res); });
  new_task_queue = [this] { return NewTaskQueue(); };
}

FramedServer::~FramedServer() = default;

void FramedServer::set_connection_limits(int threads, int max_connections_per_ip) {
  threads_ = threads;
  cap_ = std::make_shared<IpConnectionCap>(max_connections_per_ip);
  // Half the pool per address (none when the per-address cap is off: behind a proxy every
  // client shares one address).
  body_readers_ =
      std::make_shared<IpConnectionCap>(max_connections_per_ip == 0 ? 0 : std::max(1, threads / 2));
}

void FramedServer::WidenListenBacklog() {
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);
}

StreamTimeouts FramedServer::Timeouts() const {
  StreamTimeouts timeouts;
  timeouts.read = std::chrono::milliseconds(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000);
  timeouts.write =
      std::chrono::milliseconds(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000);
  timeouts.head = limits_.head_timeout;
  timeouts.body = limits_.body_timeout;
  return timeouts;
}

httplib::TaskQueue* FramedServer::NewTaskQueue() {
  ReactorLimits waiting;
  waiting.idle = std::chrono::seconds(keep_alive_timeout_sec_);
  waiting.head = limits_.head_timeout;
  waiting.body_window = static_cast<size_t>(
      std::min<uint64_t>({waiting.body_window, limits_.max_body_bytes, limits_.max_upload_bytes}));
  body_window_ = waiting.body_window;
  reactor_ = std::make_unique<ConnectionReactor>(waiting);
  auto* pool = new WorkerPool(static_cast<size_t>(threads_), *reactor_);
  pool_ = pool;
  // A reactor that cannot start leaves every connection to be closed at its first Park().
  reactor_->Start([this, pool](Connection* c, bool expired) {
    pool->enqueue([this, c, expired] { Serve(c, expired); });
  });
  return pool;
}

bool FramedServer::process_and_close_socket(socket_t sock) {
  // Read once per connection: a keep-alive connection's requests reuse them (no getpeername
  // and getsockname per request).
  SocketEnds ends = EndsOf(sock);
  AddressPlace place = cap_->TryHold(ends.remote_ip);
  if (place == nullptr) {
    metrics_->ConnectionRefused();
    if (tls_ != nullptr) {
      close(sock);  // before a handshake no answer can be read
    } else {
      RefuseConnection(sock);
    }
    return false;
  }
  if (tls_ != nullptr) {
    // The place goes with `ready`: a connection that fails before it is handed over gives it
    // back when the relay drops `ready`.
    tls_->Accept(
        sock,
        [this, place, ends](int plain_fd) mutable {
          Adopt(plain_fd, std::move(place), std::move(ends), true);
        },
        nullptr);
    return true;
  }
  int on = 1;
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  Adopt(sock, std::move(place), std::move(ends), false);
  return true;
}

void FramedServer::Adopt(int fd, AddressPlace place, SocketEnds ends, bool relayed) {
  auto served = std::make_unique<ServedConnection>(fd, Timeouts(), ends.remote_ip, std::move(place),
                                                   keep_alive_max_count_, *metrics_);
  served->stream.set_ends(std::move(ends));
  Connection* c = reactor_->Adopt(std::move(served));
  // A new connection waits for its first request like an idle one for its next.
  if (!reactor_->Park(c)) return;
  if (relayed) {
    // On the relay's thread, which must not block: a worker serves it.
    pool_->enqueue([this, c] { Serve(c, false); });
  } else {
    Serve(c, false);
  }
}

void FramedServer::Serve(Connection* connection, bool expired) {
  auto* c = static_cast<ServedConnection*>(connection);
  if (expired) {
    // Part of a head came, not the rest, within the head deadline (as ReadHead's kTimedOut).
    {
      // Logged and counted before End() hands the connection back to be deleted.
      RequestAccess access(*metrics_, log_access_, log_format_, c->stream);
      Refuse(c->stream, 408, "request head not complete in time");
    }
    End(c);
    return;
  }
  for (;;) {
    if (c->hot_wait.AwaitsResume()) c->hot_wait.Resumed(HotWaitHabit::Clock::now());
    const bool last = c->requests_left == 1;
    if (!ServeOneRequest(c->stream, last, c->ip()) || last || svr_sock_ == INVALID_SOCKET) {
      End(c);
      return;
    }
    --c->requests_left;
    // The start of a pipelined request already read belongs to the stream: serve it first.
    if (c->stream.HasBuffered()) continue;
    AwaitNextRequest(c);
    if (!reactor_->Park(c)) return;
  }
}

void FramedServer::AwaitNextRequest(Connection* connection) {
  auto* c = static_cast<ServedConnection*>(connection);
  if (pool_ == nullptr) return;
  if (!c->hot_wait.WaitNow()) {
    c->hot_wait.Parked(HotWaitHabit::Clock::now());
    return;
  }
  if (!pool_->TryBeginHotWait()) return;
  pollfd waiting{c->fd(), POLLIN, 0};
  int ready;
  do {
    ready = poll(&waiting, 1, kHotWaitMs);
  } while (ready < 0 && errno == EINTR);
  pool_->EndHotWait();
  if (ready >= 0) c->hot_wait.Waited(ready > 0);
}

void FramedServer::End(Connection* connection) {
  auto* c = static_cast<ServedConnection*>(connection);
  if (c->stream.handed_over()) {
    ConnectionStream::Adopt adopt = c->stream.TakeHandover();
    AddressPlace place = std::move(c->place);
    c->Release();
    reactor_->Close(c);
    adopt(std::move(place));
  } else if (c->stream.InputAbandoned()) {
    shutdown(c->fd(), SHUT_WR);
    reactor_->Linger(c, kLinger);
  } else {
    reactor_->Close(c);
  }
}

bool FramedServer::ServeOneRequest(ConnectionStream& strm, bool last, const std::string& peer) {
  const ConnectionStream::HeadStatus read = strm.ReadHead(limits_.head);
  if (read == ConnectionStream::HeadStatus::kClosed) return false;
  RequestAccess access(*metrics_, log_access_, log_format_, strm);
  // A response head held for its body (ConnectionStream::write) leaves before the request is
  // logged or the connection goes on, on every way out of here.
  struct HeldHeadSent {
    ConnectionStream& strm;
    ~HeldHeadSent() { strm.Flush(); }
  } held_head_sent{strm};
  switch (read) {
    case ConnectionStream::HeadStatus::kTimedOut:
      Refuse(strm, 408, "request head not complete in time");
      return false;
    case ConnectionStream::HeadStatus::kRefused:
      Refuse(strm, strm.refusal().status, strm.refusal().reason);
      return false;
    case ConnectionStream::HeadStatus::kReady:
    case ConnectionStream::HeadStatus::kClosed:
      break;
  }
  const RequestHead& head = strm.head();
  access.Begin(head);
  if (upgrade_ && upgrade_(strm)) {
    // Answered (a refusal sets its status) or handed to Realtime, whose handshake says 101.
    if (access.record().status == 0) access.record().status = 101;
    return false;
  }
  const uint64_t max_body =
      BodyLimitFor(head.method, head.target, limits_.max_body_bytes, limits_.max_upload_bytes);
  // Refused from Content-Length before a byte of the body is read (or parsed as JSON).
  if (head.framing == BodyFraming::kLength && head.content_length > max_body) {
    Refuse(strm, 413, "body larger than " + std::to_string(max_body) + " bytes", &head);
    return false;
  }
  // A body that may still be on its way holds this worker while it arrives (a small one was
  // already whole when the reactor handed the connection over): one address may have only so
  // many of those at once, so slow uploads from one client cannot take every worker.
  const bool body_awaited = head.framing == BodyFraming::kChunked ||
                            (head.framing == BodyFraming::kLength &&
                             (head.content_length > body_window_ || ExpectsContinue(head)));
  BodyReaderSlot slot(*body_readers_, peer, body_awaited);
  if (!slot.held()) {
    Refuse(strm, 429, "too many request bodies in progress from this address", &head);
    return false;
  }
  strm.BeginRequest(max_body);
  CurrentConnection current(strm);
  bool connection_closed = false;
  const std::function<void(httplib::Request&)> add_headers = [&head](httplib::Request& req) {
    AddHandlerHeaders(head, req);
  };
  bool written = process_request(strm, last, connection_closed, add_headers) && strm.Flush();
  return written && !connection_closed && head.keep_alive && strm.BodyComplete();
}

void FramedServer::FinishResponse(const httplib::Request& req, httplib::Response& res) const {
  if (decorate_) {
    auto origin = req.headers.find("Origin");  // httplib compares header names case-blind
    decorate_(origin == req.headers.end() ? std::string_view() : std::string_view(origin->second),
              res);
  }
  AddFixedHeaders(res);
  ReplaceHeader(res, "X-Request-Id", CurrentRequestId());
  ConnectionStream* strm = tl_current;
  if (strm == nullptr) return;
  // A body that failed to arrive decides the answer, whatever the handler made of the
  // failed read (httplib itself calls it 400).
  if (auto fault = strm->BodyFault()) SetErrorBody(res, *fault);
  if (AccessRecord* record = CurrentAccess()) record->status = res.status;
  if (!strm->BodyComplete()) {
    // Answered before the request was read whole: its unread rest must never be taken for a
    // request, so this connection ends with this response.
    res.headers.erase("Keep-Alive");
    ReplaceHeader(res, "Connection", "close");
  }
}

void FramedServer::Refuse(ConnectionStream& strm, int status, const std::string& reason,
                          const RequestHead* head) const {
  strm.AbandonInput();
  if (AccessRecord* record = CurrentAccess()) {
    record->status = status;
    record->refusal = reason;
  }
  httplib::Response res;
  SetErrorBody(res, status);
  if (decorate_) decorate_(head ? OriginOf(*head) : std::string_view(), res);
  AddFixedHeaders(res);
  ReplaceHeader(res, "X-Request-Id", CurrentRequestId());
  ReplaceHeader(res, "Connection", "close");
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) + "\r\n";
  for (const auto& [name, value] : res.headers)
    out.append(name).append(": ").append(value).append("\r\n");
  out += "\r\n";
  out += res.body;
  strm.WriteAll(out);
}

}  // namespace ib::http
