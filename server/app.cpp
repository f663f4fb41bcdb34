#include "server/app.h"

#include <chrono>
#include <cstdint>
#include <stdexcept>

#include "server/auth/jwt.h"
#include "server/auth/passwords.h"
#include "server/http/listener.h"
#include "server/http/server_context.h"
#include "server/http/tls_front_end.h"
#include "server/realtime/realtime_service.h"
#include "server/rest/engine.h"
#include "storage/catalog.h"
#include "storage/db.h"
#include "storage/error.h"
#include "storage/migrator.h"
#include "storage/request_clock.h"
#include "storage/rpc/rpc.h"
#include "storage/server_store.h"

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
  secret_ = storage::LoadOrCreateJwtSecret(*db_, storage::RequestClock::Now(),
                                           [] { return auth::RandomHex(32); });
}

namespace {

// HTTPS when configured: the certificate and key are read and checked before the database is
// touched, so a wrong file changes nothing.
std::unique_ptr<http::TlsFrontEnd> StartTls(const Config& config) {
  if (config.tls_cert.empty()) return nullptr;
  http::TlsOptions options;
  options.cert_file = config.tls_cert;
  options.key_file = config.tls_key;
  options.handshake_timeout = std::chrono::seconds(config.head_timeout);
  try {
    return std::make_unique<http::TlsFrontEnd>(options);
  } catch (const std::runtime_error& e) {
    throw storage::Error::Internal(e.what());
  }
}

}  // namespace

int App::Start() {
  std::unique_ptr<http::TlsFrontEnd> tls = StartTls(config_);
  // Before opening to write (which would switch the file to WAL, among others): a database a
  // newer binary made is refused with nothing changed.
  if (config_.db_path != ":memory:") {
    storage::RefuseNewerSchema(config_.db_path,
                               storage::LatestVersion(storage::EmbeddedMigrations()));
  }
  db_ = std::make_unique<storage::Db>(config_.db_path, config_.durable_commits
                                                           ? storage::Durability::kFull
                                                           : storage::Durability::kNormal);
  {
    storage::Db::WriteLease lease(*db_);
    schema_version_ = storage::Migrate(lease.conn().db(), storage::EmbeddedMigrations());
    catalog_ = storage::Catalog::Load(lease.conn(), FunctionResultShapes());
  }
  db_->SetCatalog(catalog_);
  LoadSecret();
  anon_key_ = MintKey("anon", secret_);
  service_key_ = MintKey("service_role", secret_);

  context_ = std::make_unique<http::ServerContext>(http::ServerContext{
      *db_, catalog_, secret_, config_, schema_version_, anon_key_, http::NowSeconds()});
  rest_ = std::make_unique<rest::RestEngine>(*db_, catalog_, rest::EngineOptions{config_.max_rows});
  realtime::RealtimeLimits realtime_limits;
  realtime_limits.max_sockets = static_cast<size_t>(config_.realtime_max_sockets);
  realtime_limits.idle = std::chrono::seconds(config_.realtime_idle_timeout);
  realtime_ = std::make_unique<realtime::RealtimeService>(*db_, secret_, realtime_limits);
  realtime_->Start();
  listener_ = std::make_unique<http::Listener>(*context_, *rest_, *realtime_, std::move(tls));
  const int port = listener_->Bind();
  if (port < 0) {
    throw storage::Error::Internal("cannot listen on " + config_.host + ":" +
                                   std::to_string(config_.port));
  }
  return port;
}

std::vector<std::string> App::warnings() const {
  return db_ ? db_->file_warnings() : std::vector<std::string>{};
}

void App::Run() { listener_->Run(); }

void App::Stop() {
  if (listener_) listener_->Stop();
  if (realtime_) realtime_->Stop();
}

}  // namespace ib
