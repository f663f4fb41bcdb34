// The TLS work is Asio's ssl::stream over OpenSSL; each connection's handlers run on its own
// strand, so a relay's state needs no lock.
#include "server/http/tls_front_end.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace ib::http {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using unix_stream = asio::local::stream_protocol;
using boost::system::error_code;

struct TlsFrontEnd::State {
  explicit State(const TlsOptions& o) : options(o), context(ssl::context::tls_server) {}

  const TlsOptions options;
  std::atomic<int> live{0};  // before `io`: relays its destructor frees still count down
  ssl::context context;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::mutex handover_mutex;
  bool handing_over = true;
};

namespace {

// One TLS record's plaintext at most.
constexpr size_t kChunk = size_t{16} * 1024;

void CheckReadable(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read " + flag + " " + path + ": " + std::strerror(errno));
  }
}

// TLS 1.2 and 1.3 only, no renegotiation, the server's cipher preference; the certificate chain
// and its key, which must match. A key with a passphrase is refused instead of prompting.
void LoadCredentials(ssl::context& context, const TlsOptions& options) {
  CheckReadable("--tls-cert", options.cert_file);
  CheckReadable("--tls-key", options.key_file);
  SSL_CTX* native = context.native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  context.set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });
  error_code ec;
  context.use_certificate_chain_file(options.cert_file, ec);
  if (ec) {
    throw std::runtime_error("cannot use --tls-cert " + options.cert_file +
                             " (expected a PEM certificate chain): " + ec.message());
  }
  context.use_private_key_file(options.key_file, ssl::context::pem, ec);
  if (ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) {
    throw std::runtime_error("--tls-key " + options.key_file +
                             " is not the private key of the certificate in " + options.cert_file);
  }
  if (ec) {
    throw std::runtime_error("cannot use --tls-key " + options.key_file +
                             " (expected an unencrypted PEM private key): " + ec.message());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    throw std::runtime_error("--tls-key " + options.key_file +
                             " is not the private key of the certificate in " + options.cert_file);
  }
}

// One client connection: handshake, then two pumps (client -> server end of the socketpair,
// server end -> client), then close_notify and a bounded drain. Owned by its pending handlers.
class Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay(TlsFrontEnd::State& state, TlsFrontEnd::Ready ready, TlsFrontEnd::Failed failed)
      : state_(state),
        strand_(asio::make_strand(state.io)),
        tls_(strand_, state.context),
        plain_(strand_),
        timer_(strand_),
        ready_(std::move(ready)),
        failed_(std::move(failed)) {
    state_.live.fetch_add(1);
  }
  ~Relay() {
    error_code ignored;
    tls_.next_layer().close(ignored);
    plain_.close(ignored);
    if (failed_) failed_();
    state_.live.fetch_sub(1);
  }
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // Takes the accepted socket (closed by the destructor from here on); false if unusable.
  bool Own(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    error_code ec;
    tls_.next_layer().assign(addr.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      return false;
    }
    tls_.next_layer().set_option(tcp::no_delay(true), ec);
    return true;
  }

  void Start() {
    Arm(state_.options.handshake_timeout);
    tls_.async_handshake(ssl::stream_base::server,
                         [self = shared_from_this()](const error_code& ec) { self->Shaken(ec); });
  }

  asio::strand<asio::io_context::executor_type>& strand() { return strand_; }

 private:
  // Closes the client connection when the timer fires first (handshake, a write, the drain).
  void Arm(std::chrono::milliseconds after) {
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec) self->Abort();
    });
  }

  void Shaken(const error_code& ec) {
    if (ec || closed_) {
      Abort();
      return;
    }
    timer_.cancel();
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
      Abort();
      return;
    }
    error_code assigned;
    plain_.assign(unix_stream(), pair[0], assigned);
    if (assigned) {
      ::close(pair[0]);
      ::close(pair[1]);
      Abort();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(state_.handover_mutex);
      if (!state_.handing_over) {
        ::close(pair[1]);
        Abort();
        return;
      }
      failed_ = nullptr;
      TlsFrontEnd::Ready ready = std::move(ready_);
      ready(pair[1]);
    }
    ReadClient();
    ReadServer();
  }

  void ReadClient() {
    client_reading_ = true;
    tls_.async_read_some(asio::buffer(up_),
                         [self = shared_from_this()](const error_code& ec, size_t n) {
                           self->client_reading_ = false;
                           self->FromClient(ec, n);
                         });
  }

  void FromClient(const error_code& ec, size_t n) {
    if (finishing_) return;  // the server side ended: Finish() owns the TLS stream now
    if (ec) {
      // The client closed (close_notify or EOF) or broke off: the server end reads EOF.
      error_code ignored;
      plain_.shutdown(unix_stream::socket::shutdown_send, ignored);
      return;
    }
    asio::async_write(plain_, asio::buffer(up_.data(), n),
                      [self = shared_from_this()](const error_code& wrote, size_t) {
                        // A failed write means the server end closed: ReadServer finishes.
                        if (!wrote && !self->finishing_) self->ReadClient();
                      });
  }

  void ReadServer() {
    plain_.async_read_some(asio::buffer(down_),
                           [self = shared_from_this()](const error_code& ec, size_t n) {
                             if (ec) {
                               self->Finish();
                               return;
                             }
                             self->ToClient(n);
                           });
  }

  void ToClient(size_t n) {
    Arm(state_.options.write_timeout);
    asio::async_write(tls_, asio::buffer(down_.data(), n),
                      [self = shared_from_this()](const error_code& ec, size_t) {
                        self->timer_.cancel();
                        if (ec) {
                          self->Abort();
                          return;
                        }
                        self->ReadServer();
                      });
  }

  // The server end will write nothing more: close_notify, then wait (bounded) for the client's.
  void Finish() {
    if (closed_ || finishing_) return;
    finishing_ = true;
    error_code ignored;
    if (client_reading_) tls_.next_layer().cancel(ignored);
    Arm(state_.options.linger);
    tls_.async_shutdown([self = shared_from_this()](const error_code&) { self->Abort(); });
  }

  void Abort() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    timer_.cancel();
    tls_.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
    tls_.next_layer().close(ignored);
    plain_.close(ignored);
  }

  TlsFrontEnd::State& state_;
  asio::strand<asio::io_context::executor_type> strand_;
  ssl::stream<tcp::socket> tls_;
  unix_stream::socket plain_;
  asio::steady_timer timer_;
  TlsFrontEnd::Ready ready_;
  TlsFrontEnd::Failed failed_;       // cleared once handed over; run by the destructor otherwise
  std::array<char, kChunk> up_{};    // client -> server end
  std::array<char, kChunk> down_{};  // server end -> client
  bool client_reading_ = false;
  bool finishing_ = false;
  bool closed_ = false;
};

}  // namespace

TlsFrontEnd::TlsFrontEnd(const TlsOptions& options) : state_(std::make_unique<State>(options)) {
  LoadCredentials(state_->context, options);
  state_->work.emplace(state_->io.get_executor());
  const int threads = std::max(1, options.threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { state_->io.run(); });
}

TlsFrontEnd::~TlsFrontEnd() { Stop(std::chrono::milliseconds(0)); }

void TlsFrontEnd::Accept(int tcp_fd, Ready ready, Failed failed) {
  {
    std::lock_guard<std::mutex> lock(state_->handover_mutex);
    if (!state_->handing_over) {
      ::close(tcp_fd);
      if (failed) failed();
      return;
    }
  }
  auto relay = std::make_shared<Relay>(*state_, std::move(ready), std::move(failed));
  if (!relay->Own(tcp_fd)) return;  // the relay's destructor reports the failure
  asio::post(relay->strand(), [relay] { relay->Start(); });
}

void TlsFrontEnd::StopHandingOver() {
  std::lock_guard<std::mutex> lock(state_->handover_mutex);
  state_->handing_over = false;
}

void TlsFrontEnd::Stop(std::chrono::milliseconds grace) {
  StopHandingOver();
  if (stopped_) return;
  stopped_ = true;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (state_->live.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  state_->work.reset();
  state_->io.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  // Relays still open are destroyed with the io_context (their handlers own them), which
  // closes their sockets and reports those never handed over as failed.
}

}  // namespace ib::http
