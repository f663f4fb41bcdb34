#include "server/http/metrics_routes.h"

#include <optional>
#include <string>

#include "server/auth/authenticate.h"
#include "server/http/handler.h"
#include "server/http/metrics_access.h"
#include "server/http/metrics_page.h"
#include "server/realtime/realtime_service.h"
#include "storage/db_stats.h"
#include "storage/error.h"

namespace ib::http {
namespace {

bool SentCredentials(const httplib::Request& req) {
  return req.has_header("apikey") || req.has_header("Authorization");
}

bool Proxied(const httplib::Request& req) {
  return req.has_header("X-Forwarded-For") || req.has_header("Forwarded") ||
         req.has_header("X-Real-IP");
}

// The scrape's principal, or a refusal: no key -> 401, a wrong or anon key -> 401, a user's
// token -> 403 (as /admin/v1).
void RequireScraper(const httplib::Request& req, const ServerContext& ctx, RequestContext& rc) {
  if (KeylessScrapeAllowed(req.remote_addr, SentCredentials(req), Proxied(req))) {
    rc.principal = "loopback";
    return;
  }
  // A scraper can usually send only `Authorization: Bearer` (Prometheus' `authorization`):
  // without an apikey, the bearer stands in for it.
  const std::optional<std::string> authorization = Header(req, "Authorization");
  std::optional<std::string> apikey = Header(req, "apikey");
  if (!apikey) {
    if (auto bearer = auth::BearerToken(authorization)) apikey = std::string(*bearer);
  }
  const storage::Principal who =
      auth::AuthenticateRest(authorization, apikey, ctx.secret, rc.clock.now_seconds());
  rc.principal = storage::RoleName(who.role);
  if (!who.is_service()) {
    throw storage::Error::PermissionDenied(
        who.is_anon(),
        "permission denied: /metrics requires the service_role key, or a keyless request "
        "from a loopback address");
  }
}

}  // namespace

void RegisterMetricsRoute(httplib::Server& server, const ServerContext& ctx,
                          const HttpMetrics& metrics, const realtime::RealtimeService& realtime) {
  server.Get("/metrics", Wrap(Service::kPlain, [&ctx, &metrics, &realtime](
                                                   const httplib::Request& req,
                                                   httplib::Response& res, RequestContext& rc) {
               RequireScraper(req, ctx, rc);
               const storage::DbStats db = storage::ReadDbStats(ctx.db, rc.clock);
               res.set_content(RenderMetricsPage(metrics, db, realtime.open_sockets()),
                               kMetricsContentType);
             }));
}

}  // namespace ib::http
