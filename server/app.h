// App: the running server. Opens the database, migrates it, loads the catalog, settles the
// JWT secret and keys, registers every route group and serves. Start() binds and returns the
// port; Run() blocks until Stop() (safe to call from another thread or a signal watcher).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/config.h"

namespace ib {

namespace storage {
class Db;
class Catalog;
}  // namespace storage
namespace rest {
class RestEngine;
}
namespace realtime {
class RealtimeService;
}
namespace http {
struct ServerContext;
class Listener;
}  // namespace http

class App {
 public:
  explicit App(Config config);
  ~App();

  // Opens and migrates the database, then binds the listening socket. Returns the port.
  int Start();
  // Serves until Stop(); in-flight requests finish before it returns.
  void Run();
  void Stop();

  const std::string& anon_key() const { return anon_key_; }
  const std::string& service_key() const { return service_key_; }
  const std::string& secret() const { return secret_; }
  int schema_version() const { return schema_version_; }
  // After Start(): what to warn about the database file (its permissions), one line each.
  std::vector<std::string> warnings() const;

 private:
  void LoadSecret();

  Config config_;
  std::unique_ptr<storage::Db> db_;
  std::shared_ptr<const storage::Catalog> catalog_;
  std::unique_ptr<http::ServerContext> context_;
  std::unique_ptr<rest::RestEngine> rest_;
  std::unique_ptr<realtime::RealtimeService> realtime_;  // before listener_, which uses it
  std::unique_ptr<http::Listener> listener_;
  std::string secret_;
  std::string anon_key_;
  std::string service_key_;
  int schema_version_ = 0;
};

}  // namespace ib
