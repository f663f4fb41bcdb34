// Listener: the HTTP side of the running server. Owns the httplib server (a FramedServer) and
// the HTTP metrics it counts into,
// sets its worker pool, timeouts and body limit from Config, registers every route group,
// binds and serves. App holds one; nothing else outside server/http/ sees httplib.
// Run() blocks; Stop() may be called from another thread or a signal watcher.
#pragma once

#include <memory>
#include <string>

#include "server/http/http_metrics.h"

namespace ib {
namespace rest {
class RestEngine;
}
namespace realtime {
class RealtimeService;
}

namespace http {

struct ServerContext;
class FramedServer;
class TlsFrontEnd;

class Listener {
 public:
  // `ctx`, `rest` and `realtime` must outlive the listener: the routes keep references to them.
  // `tls`: serve HTTPS through it (null: plain HTTP).
  Listener(const ServerContext& ctx, rest::RestEngine& rest, realtime::RealtimeService& realtime,
           std::unique_ptr<TlsFrontEnd> tls = nullptr);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds config.host:config.port (port 0: any free port); returns the port or -1.
  int Bind();
  // Serves until Stop(); in-flight requests finish before it returns.
  void Run();
  void Stop();

 private:
  const ServerContext& ctx_;
  HttpMetrics metrics_;  // before server_, whose connections count into it
  std::unique_ptr<FramedServer> server_;
  std::unique_ptr<TlsFrontEnd> tls_;  // after server_: stopped and destroyed before it
};

}  // namespace http
}  // namespace ib
