#include "server/app.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "server/auth/auth_routes.h"
#include "server/auth/jwt.h"
#include "server/auth/passwords.h"
#include "server/files/file_routes.h"
#include "server/http/admin_routes.h"
#include "server/http/cors.h"
#include "server/http/fallback.h"
#include "server/http/handler.h"
#include "server/http/health.h"
#include "server/http/row_range_server.h"
#include "server/http/server_context.h"
#include "server/rest/engine.h"
#include "server/rest/rest_routes.h"
#include "storage/catalog.h"
#include "storage/db.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/migrator.h"
#include "storage/rpc/rpc.h"

namespace ib {
namespace {

// Keys are a pure function of the secret: fixed claims, as Supabase's local keys, so every
// start with the same secret prints byte-identical keys.
constexpr int64_t kKeyIssuedAt = 1735689600;   // 2025-01-01T00:00:00Z
constexpr int64_t kKeyExpiresAt = 4102444800;  // 2100-01-01T00:00:00Z

std::string MintKey(const std::string& role, const std::string& secret) {
  nlohmann::json claims = {
      {"iss", "supabase"}, {"role", role}, {"iat", kKeyIssuedAt}, {"exp", kKeyExpiresAt}};
  return auth::SignHs256(claims, secret);
}

// Set-returning RPCs expose their rows as virtual tables in the catalog.
std::vector<storage::VirtualTableSpec> FunctionResultShapes() {
  std::vector<storage::VirtualTableSpec> out;
  for (const auto& fn : storage::rpc::AllFunctions()) {
    if (fn.returns != storage::rpc::Returns::kSetOf) continue;
    storage::VirtualTableSpec spec{fn.name, {}};
    for (const auto& col : fn.columns) spec.columns.emplace_back(col.name, col.declared_type);
    out.push_back(std::move(spec));
  }
  return out;
}

int WorkerThreads(const Config& config) {
  if (config.threads > 0) return config.threads;
  // A keep-alive connection holds a worker, so keep far more workers than cores.
  return std::max(64, static_cast<int>(std::thread::hardware_concurrency()) * 16);
}

}  // namespace

namespace http {
int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace http

App::App(Config config) : config_(std::move(config)) {}
App::~App() = default;

void App::LoadSecret() {
  if (config_.jwt_secret) {
    secret_ = *config_.jwt_secret;
    return;
  }
  // No secret given: generate one once and keep it in the database, so keys survive restarts.
  storage::Db::WriteLease lease(*db_);
  storage::Executor ex(lease.conn());
  auto stored = ex.Scalar({"SELECT value FROM ib_settings WHERE key = 'jwt_secret'", {}, ""});
  if (stored && std::holds_alternative<std::string>(*stored)) {
    secret_ = std::get<std::string>(*stored);
    return;
  }
  secret_ = auth::RandomHex(32);
  ex.Run({"INSERT INTO ib_settings (key, value) VALUES ('jwt_secret', ?)", {secret_}, ""});
}

int App::Start() {
  db_ = std::make_unique<storage::Db>(config_.db_path);
  {
    storage::Db::WriteLease lease(*db_);
    schema_version_ = storage::Migrate(lease.conn().db(), storage::EmbeddedMigrations());
    catalog_ = storage::Catalog::Load(lease.conn(), FunctionResultShapes());
  }
  db_->SetCatalog(catalog_);
  LoadSecret();
  anon_key_ = MintKey("anon", secret_);
  service_key_ = MintKey("service_role", secret_);

  server_ = std::make_unique<http::RowRangeServer>();
  const int threads = WorkerThreads(config_);
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(1000000);
  server_->set_keep_alive_timeout(3);  // idle keep-alive connections release workers on stop
  server_->set_read_timeout(5, 0);
  server_->set_write_timeout(5, 0);
  // 64 MiB, or more when storage may accept larger objects (plus room for multipart framing).
  server_->set_payload_max_length(
      std::max<uint64_t>(64ULL * 1024 * 1024,
                         static_cast<uint64_t>(config_.storage_max_file_size) + 1024 * 1024));
  RegisterRoutes();

  int port = config_.port == 0 ? server_->bind_to_any_port(config_.host)
                               : (server_->bind_to_port(config_.host, config_.port)
                                      ? config_.port
                                      : -1);
  if (port < 0) {
    throw storage::Error::Internal("cannot listen on " + config_.host + ":" +
                                   std::to_string(config_.port));
  }
  return port;
}

void App::RegisterRoutes() {
  context_ = std::make_unique<http::ServerContext>(
      http::ServerContext{*db_, catalog_, secret_, config_, schema_version_});
  rest_ = std::make_unique<rest::RestEngine>(*db_, catalog_,
                                             rest::EngineOptions{config_.max_rows});
  rest::RegisterRestRoutes(*server_, *rest_, *context_);
  files::RegisterFileRoutes(*server_, *context_);
  auth::RegisterAuthRoutes(*server_, *context_);
  http::RegisterHealthRoute(*server_, *context_);
  http::RegisterAdminRoutes(*server_, *context_);
  http::RegisterCors(*server_);
  http::RegisterFallback(*server_);
}

void App::Run() { server_->listen_after_bind(); }

void App::Stop() {
  if (!server_) return;
  // A signal can arrive between Start() and Run(): httplib ignores stop() until it is
  // listening, so wait (bounded) for Run() to get there before stopping it.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server_->stop();
}

}  // namespace ib
