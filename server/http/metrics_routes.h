// GET /metrics: the Prometheus scrape endpoint (server/http/metrics_page.h), readable keyless
// from loopback or with the service_role key (server/http/metrics_access.h); anyone else gets
// 401 (403 for a user's token) in the REST error shape.
#pragma once

#include <httplib.h>

#include "server/http/http_metrics.h"
#include "server/http/server_context.h"

namespace ib {
namespace realtime {
class RealtimeService;
}

namespace http {

// `metrics` and `realtime` must outlive the server.
void RegisterMetricsRoute(httplib::Server& server, const ServerContext& ctx,
                          const HttpMetrics& metrics, const realtime::RealtimeService& realtime);

}  // namespace http
}  // namespace ib
