// The body of GET /metrics: the HTTP counters (server/http/http_metrics.h), the database's
// figures (storage/db_stats.h), open Realtime sockets and the build, in the Prometheus text
// exposition format 0.0.4. Every family has HELP and TYPE lines; docs/wire.md lists them.
#pragma once

#include <cstddef>
#include <string>

#include "server/http/http_metrics.h"
#include "storage/db_stats.h"

namespace ib::http {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string RenderMetricsPage(const HttpMetrics& http, const storage::DbStats& db,
                              size_t realtime_sockets);

}  // namespace ib::http
