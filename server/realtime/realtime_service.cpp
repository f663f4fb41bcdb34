// The only file that includes Boost.Beast: WebSocket framing, masking, fragmentation, ping/pong
// and close handling are Beast's, on one Asio event loop (Realtime's thread).
#include "server/realtime/realtime_service.h"

#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <thread>

#include "server/realtime/realtime_token.h"
#include "server/realtime/socket_session.h"
#include "storage/db.h"

namespace ib::realtime {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ErrorBody(std::string_view message) {
  return nlohmann::json{{"error", message}}.dump();
}

// One WebSocket: Beast's stream, the protocol session above it, and the bounded queue of
// frames waiting to be written (one write in flight at a time, as Beast requires).
class WebSocketConnection : public std::enable_shared_from_this<WebSocketConnection>,
                            public Outbox {
 public:
  WebSocketConnection(tcp::socket socket, Hub& hub, UpgradeCheck accepted,
                      std::atomic<size_t>& open, std::shared_ptr<const void> address_place)
      : address_place_(std::move(address_place)),
        ws_(std::move(socket)),
        hub_(hub),
        accepted_(std::move(accepted)),
        open_(open) {}
  ~WebSocketConnection() override { open_.fetch_sub(1); }

  void Start(const beast::http::request<beast::http::empty_body>& request) {
    const RealtimeLimits& limits = hub_.limits();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);
    timeouts.idle_timeout = limits.idle;  // no frame from the client for this long: closed
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.read_message_max(limits.max_frame_bytes);
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;  // Beast answered the bad handshake itself
      self->session_ = std::make_unique<SocketSession>(self->hub_, self->accepted_.vsn,
                                                       self->accepted_.principal, *self);
      self->Read();
    });
  }

  void SendText(std::string frame) override { Enqueue(std::move(frame), false); }
  void SendBinary(std::string frame) override { Enqueue(std::move(frame), true); }
  void Close() override {
    close_after_writes_ = true;
    if (!writing_) CloseNow();
  }
  // Ends the connection at once (server stop, a peer that takes nothing).
  void Abort() {
    if (dead_) return;
    dead_ = true;
    DropUnsent();
    if (grace_) grace_->cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close(ignored);
  }

 private:
  struct Frame {
    std::string data;
    bool binary;
  };

  void Read() {
    ws_.async_read(buffer_,
                   [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec || dead_) {
      // The peer closed, the idle timeout passed, or a frame broke the protocol: the socket's
      // channels end here (not inside a fan-out, which may be running when Abort() is called).
      dead_ = true;
      session_.reset();
      return;
    }
    auto data = buffer_.data();
    std::string_view frame(static_cast<const char*>(data.data()), data.size());
    if (ws_.got_binary()) {
      session_->OnBinary(frame, NowSeconds());
    } else {
      session_->OnText(frame, NowSeconds());
    }
    buffer_.consume(buffer_.size());
    // A large message grew the buffer: give the memory back rather than keep it per socket.
    if (buffer_.capacity() > size_t{64} * 1024) buffer_ = beast::flat_buffer();
    if (!dead_) Read();
  }

  void Enqueue(std::string frame, bool binary) {
    if (dead_ || close_after_writes_) return;
    queued_bytes_ += frame.size();
    if (queued_bytes_ > hub_.limits().send_queue_bytes) {
      Overflow();
      return;
    }
    queue_.push_back(Frame{std::move(frame), binary});
    if (!writing_) WriteNext();
  }

  void WriteNext() {
    writing_ = true;
    ws_.binary(queue_.front().binary);
    ws_.async_write(
        asio::buffer(queue_.front().data),
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWrite(ec); });
  }

  void OnWrite(beast::error_code ec) {
    writing_ = false;
    if (dead_) return;
    if (ec) {
      Abort();
      return;
    }
    queued_bytes_ -= queue_.front().data.size();
    queue_.pop_front();
    if (!queue_.empty()) {
      WriteNext();
    } else if (close_after_writes_) {
      CloseNow();
    }
  }

  void CloseNow() {
    ws_.async_close(close_reason_,
                    [self = shared_from_this()](beast::error_code) { self->Abort(); });
  }

  // Frames not yet being written are dropped (the one in flight stays: Beast is writing it).
  void DropUnsent() {
    while (queue_.size() > (writing_ ? 1U : 0U)) {
      queued_bytes_ -= queue_.back().data.size();
      queue_.pop_back();
    }
  }

  // The client reads slower than it is sent to: what waits is dropped, and once the frame in
  // flight is written it gets a close frame (1013, "try again later"), upon which supabase-js
  // reports a channel error, reconnects and rejoins. A client that reads nothing at all would
  // hold that close too, so the connection is cut after a short grace.
  void Overflow() {
    std::fprintf(stderr,
                 "realtime: a socket read too slowly (send queue over %zu bytes): closing it\n",
                 hub_.limits().send_queue_bytes);
    DropUnsent();
    close_reason_ = websocket::close_reason(websocket::close_code::try_again_later,
                                            "send queue full: the client reads too slowly");
    close_after_writes_ = true;
    if (!writing_) CloseNow();
    grace_ = std::make_unique<asio::steady_timer>(ws_.get_executor(), std::chrono::seconds(2));
    grace_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->Abort();
    });
  }

  // The per-address connection count's place: declared first so it is given back only after
  // the socket below has closed.
  std::shared_ptr<const void> address_place_;
  websocket::stream<tcp::socket> ws_;
  Hub& hub_;
  UpgradeCheck accepted_;
  std::atomic<size_t>& open_;
  std::unique_ptr<SocketSession> session_;
  beast::flat_buffer buffer_;
  std::deque<Frame> queue_;
  size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool close_after_writes_ = false;
  bool dead_ = false;
  websocket::close_reason close_reason_{websocket::close_code::normal};
  std::unique_ptr<asio::steady_timer> grace_;  // set on overflow
};

// A socket handed over to Realtime (Adopt), counted in the open sockets from then on. Until
// the event loop's handler takes it, it is closed and uncounted with this object: a handler
// posted to a loop that has ended never runs and is destroyed with the loop, and without this
// the descriptor and its place in the count stayed taken for the life of the process.
class AdoptedSocket {
 public:
  AdoptedSocket(int fd, std::atomic<size_t>& open) : fd_(fd), open_(open) { open_.fetch_add(1); }
  ~AdoptedSocket() {
    if (fd_ < 0) return;
    ::close(fd_);
    open_.fetch_sub(1);
  }
  AdoptedSocket(const AdoptedSocket&) = delete;
  AdoptedSocket& operator=(const AdoptedSocket&) = delete;
  int fd() const { return fd_; }
  // The descriptor now belongs to the caller, still counted (a WebSocketConnection uncounts
  // it when it ends).
  void Taken() { fd_ = -1; }

 private:
  int fd_;
  std::atomic<size_t>& open_;
};

}  // namespace

// The event loop and its thread, the registry of open connections (to close them on stop), and
// the periodic sweep for expired channel tokens (RealtimeLimits::token_sweep, a second).
class RealtimeService::Loop {
 public:
  explicit Loop(Hub& hub) : hub_(hub), work_(asio::make_work_guard(io_)), sweep_(io_) {}
  ~Loop() {
    try {
      Stop();
    } catch (const std::exception& e) {  // a destructor must not throw; the thread is gone
      std::fprintf(stderr, "realtime: stopping the event loop failed: %s\n", e.what());
    }
  }

  void Start() {
    Sweep();
    thread_ = std::thread([this] { io_.run(); });
  }
  // Ends the loop: every connection is aborted and the sweep cancelled, so that io_.run()
  // runs out of work and returns. `stopping_` is for what is already queued behind this: a
  // sweep whose timer had fired (cancel() cannot recall its handler, which would set the timer
  // again, forever) and a socket handed over meanwhile (its handshake would be new work).
  void Stop() {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] {
      stopping_ = true;
      for (auto& weak : connections_) {
        if (auto c = weak.lock()) c->Abort();
      }
      sweep_.cancel();
      work_.reset();
    });
    thread_.join();
    io_.stop();
    ended_.store(true);
  }
  // Whether Stop has returned: nothing posted to io() runs any more.
  bool ended() const { return ended_.load(); }
  asio::io_context& io() { return io_; }
  Hub& hub() { return hub_; }
  // Registers a connection to be aborted on stop; false (and the connection aborted) when
  // the loop is stopping: it must not be started.
  bool Track(const std::shared_ptr<WebSocketConnection>& c) {
    if (stopping_) {
      c->Abort();
      return false;
    }
    // Forget connections that ended since the last call, so the list stays as long as the open
    // ones.
    if (connections_.size() >= 2 * live_hint_ + 64) {
      connections_.erase(std::remove_if(connections_.begin(), connections_.end(),
                                        [](const auto& w) { return w.expired(); }),
                         connections_.end());
      live_hint_ = connections_.size();
    }
    connections_.push_back(c);
    return true;
  }

 private:
  void Sweep() {
    sweep_.expires_after(hub_.limits().token_sweep);
    sweep_.async_wait([this](beast::error_code ec) {
      if (ec || stopping_) return;
      hub_.CloseExpired(NowSeconds());
      Sweep();
    });
  }

  Hub& hub_;
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  asio::steady_timer sweep_;
  std::vector<std::weak_ptr<WebSocketConnection>> connections_;
  size_t live_hint_ = 0;
  bool stopping_ = false;  // the loop's thread only
  std::atomic<bool> ended_{false};
  std::thread thread_;
};

RealtimeService::RealtimeService(storage::Db& db, std::string secret, RealtimeLimits limits)
    : db_(db),
      secret_(std::move(secret)),
      limits_(limits),
      hub_(std::make_unique<Hub>(db, secret_, limits)),
      loop_(std::make_unique<Loop>(*hub_)) {}

RealtimeService::~RealtimeService() {
  try {
    Stop();
  } catch (const std::exception& e) {  // a destructor must not throw
    std::fprintf(stderr, "realtime: stopping failed: %s\n", e.what());
  }
}

void RealtimeService::Start() {
  if (started_) return;
  started_ = true;
  // Called on the committing thread once a transaction is durable: only copies it to
  // Realtime's queue, and only when a channel listens for changes. The writer captures only
  // what the bindings want (Hub::Interest), so without postgres_changes channels a write copies
  // no row values.
  subscription_ = db_.changes().Subscribe(
      [this](const std::vector<storage::ChangeRecord>& batch) {
        if (!hub_->WantsChanges()) return;
        // Realtime's thread is this far behind the writers: rather than queue without bound, the
        // transaction is dropped and the channels listening for changes are failed (they rejoin).
        if (change_backlog_.load() >= limits_.change_backlog) {
          changes_lost_.store(true);
          return;
        }
        std::vector<storage::ChangeRecord> wanted = hub_->Wanted(batch);
        if (wanted.empty()) return;
        change_backlog_.fetch_add(1);
        auto copy = std::make_shared<const std::vector<storage::ChangeRecord>>(std::move(wanted));
        asio::post(loop_->io(), [this, copy] {
          change_backlog_.fetch_sub(1);
          if (changes_lost_.exchange(false)) hub_->FailChangeChannels();
          hub_->OnCommitted(*copy);
        });
      },
      [this] { return hub_->Interest(); });
  loop_->Start();
}

void RealtimeService::Stop() {
  if (!started_) return;
  started_ = false;
  db_.changes().Unsubscribe(subscription_);
  loop_->Stop();
}

UpgradeCheck RealtimeService::CheckUpgrade(const std::optional<std::string>& apikey,
                                           const std::optional<std::string>& vsn) const {
  UpgradeCheck out;
  if (!apikey || apikey->empty()) {
    out.status = 401;
    out.body = ErrorBody("API key is missing");
    return out;
  }
  TokenCheck token = CheckToken(*apikey, secret_, NowSeconds());
  if (!token.ok()) {
    out.status = 401;
    out.body = ErrorBody(token.message);
    return out;
  }
  std::optional<Vsn> version = ParseVsn(vsn);
  if (!version) {
    out.status = 403;
    return out;
  }
  if (open_sockets_.load() >= limits_.max_sockets) {
    out.status = 429;
    out.body = ErrorBody("Too many connected users");
    return out;
  }
  out.vsn = *version;
  out.principal = std::move(*token.principal);
  return out;
}

void RealtimeService::Adopt(int fd, UpgradeRequest request, UpgradeCheck accepted) {
  auto adopted = std::make_unique<AdoptedSocket>(fd, open_sockets_);
  if (loop_->ended()) return;  // stopped: closed at once
  asio::post(loop_->io(), [this, adopted = std::move(adopted), request = std::move(request),
                           accepted = std::move(accepted)]() mutable {
    beast::error_code ec;
    tcp::socket socket(loop_->io());
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    getsockname(adopted->fd(), reinterpret_cast<sockaddr*>(&addr), &len);
    socket.assign(addr.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), adopted->fd(), ec);
    if (ec) return;  // closed and uncounted with `adopted`
    adopted->Taken();
    beast::http::request<beast::http::empty_body> head;
    head.method(beast::http::verb::get);
    head.target(request.target);
    head.version(11);
    for (auto& [name, value] : request.headers) head.insert(name, value);
    auto connection =
        std::make_shared<WebSocketConnection>(std::move(socket), *hub_, std::move(accepted),
                                              open_sockets_, std::move(request.address_place));
    if (loop_->Track(connection)) connection->Start(head);
  });
}

void RealtimeService::TEST_PostToLoop(std::function<void()> work) {
  asio::post(loop_->io(), std::move(work));
}

void RealtimeService::PostBroadcast(std::string topic, BroadcastMessage message) {
  asio::post(loop_->io(), [this, topic = std::move(topic), message = std::move(message)] {
    hub_->Broadcast(topic, message, nullptr);
  });
}

std::optional<storage::Principal> RealtimeService::CheckBearer(std::string_view token) const {
  TokenCheck check = CheckToken(token, secret_, NowSeconds());
  return check.principal;
}

}  // namespace ib::realtime
