#include "server/http/listener.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>

#include "server/auth/auth_routes.h"
#include "server/dashboard/dashboard_routes.h"
#include "server/files/file_routes.h"
#include "server/http/admin_routes.h"
#include "server/http/cors.h"
#include "server/http/fallback.h"
#include "server/http/framed_server.h"
#include "server/http/health.h"
#include "server/http/metrics_routes.h"
#include "server/http/server_context.h"
#include "server/http/tls_front_end.h"
#include "server/http/websocket_upgrade.h"
#include "server/realtime/realtime_routes.h"
#include "server/rest/rest_routes.h"

namespace ib::http {
namespace {

int WorkerThreads(const Config& config) {
  if (config.threads > 0) return config.threads;
  // Idle connections wait in the reactor, not on a worker, so workers are for running requests:
  // a few per core, and some to spare for requests that block (slow body uploads, a writer
  // waiting for the SQLite write lock). Each holds a read connection (bench/README.md).
  return std::max(16, static_cast<int>(std::thread::hardware_concurrency()) * 4);
}

FramingLimits Framing(const Config& config) {
  FramingLimits limits;
  limits.max_body_bytes = static_cast<uint64_t>(config.max_body_size);
  // An upload is one object plus its multipart framing.
  limits.max_upload_bytes =
      static_cast<uint64_t>(config.storage_max_file_size) + uint64_t{1024} * 1024;
  limits.head_timeout = std::chrono::seconds(config.head_timeout);
  limits.body_timeout = std::chrono::seconds(config.body_timeout);
  return limits;
}

}  // namespace

Listener::Listener(const ServerContext& ctx, rest::RestEngine& rest,
                   realtime::RealtimeService& realtime, std::unique_ptr<TlsFrontEnd> tls)
    : ctx_(ctx), tls_(std::move(tls)) {
  auto server = std::make_unique<FramedServer>();
  server->set_framing_limits(Framing(ctx.config));
  server->set_access(metrics_, ctx.config.log_requests,
                     ctx.config.log_json ? LogFormat::kJson : LogFormat::kText);
  auto cors = std::make_shared<const CorsPolicy>(ctx.config.cors_origins);
  server->set_response_decorator(
      [cors](std::string_view origin, httplib::Response& res) { cors->Decorate(origin, res); });
  server->set_upgrade_handler(RealtimeUpgrade(realtime));
  server->set_tls(tls_.get());
  server_ = std::move(server);
  server_->set_connection_limits(WorkerThreads(ctx.config), ctx.config.max_connections_per_ip);
  server_->set_tcp_nodelay(true);
  // cpp-httplib's default sets SO_REUSEPORT, which lets a second server bind a port in use and
  // share its connections. SO_REUSEADDR alone still allows a restart while old connections
  // linger in TIME_WAIT, and a port in use fails Bind().
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->set_keep_alive_max_count(1000000);
  server_->set_keep_alive_timeout(3);  // idle keep-alive connections release workers on stop
  server_->set_read_timeout(5, 0);
  server_->set_write_timeout(5, 0);
  // The FramedServer's limits come first; httplib's own stays as a backstop.
  server_->set_payload_max_length(std::max<uint64_t>(
      uint64_t{64} * 1024 * 1024,
      static_cast<uint64_t>(ctx.config.storage_max_file_size) + uint64_t{1024} * 1024));

  rest::RegisterRestRoutes(*server_, rest, ctx);
  files::RegisterFileRoutes(*server_, ctx);
  auth::RegisterAuthRoutes(*server_, ctx);
  RegisterHealthRoute(*server_, ctx);
  RegisterAdminRoutes(*server_, ctx);
  RegisterMetricsRoute(*server_, ctx, metrics_, realtime);
  realtime::RegisterRealtimeRoutes(*server_, realtime);
  dashboard::RegisterDashboardRoutes(*server_);
  RegisterCors(*server_, cors);
  RegisterFallback(*server_);
}

Listener::~Listener() = default;

int Listener::Bind() {
  const Config& config = ctx_.config;
  int port = config.port == 0
                 ? server_->bind_to_any_port(config.host)
                 : (server_->bind_to_port(config.host, config.port) ? config.port : -1);
  if (port > 0) server_->WidenListenBacklog();
  return port;
}

void Listener::Run() {
  server_->listen_after_bind();
  // Every served connection has ended; let the relays deliver what they still hold.
  if (tls_) tls_->Stop(std::chrono::seconds(3));
}

void Listener::Stop() {
  // Before the worker pool stops: a handshake finishing now is no longer handed to it.
  if (tls_) tls_->StopHandingOver();
  // A signal can arrive between Bind() and Run(): httplib ignores stop() until it is
  // listening, so wait (bounded) for Run() to get there before stopping it.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server_->stop();
}

}  // namespace ib::http
