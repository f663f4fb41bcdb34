#include "server/http/admin_routes.h"

#include "server/auth/authenticate.h"
#include "server/http/handler.h"
#include "storage/error.h"
#include "storage/reset.h"

namespace ib::http {

void RegisterAdminRoutes(httplib::Server& server, const ServerContext& ctx) {
  server.Post("/admin/v1/reset",
              Wrap(
                  Service::kRest,
                  [&ctx](const httplib::Request& req, httplib::Response& res, RequestContext& rc) {
                    storage::Principal who =
                        auth::AuthenticateRest(Header(req, "Authorization"), Header(req, "apikey"),
                                               ctx.secret, rc.clock.now_seconds());
                    rc.principal = storage::RoleName(who.role);
                    // Wiping every user's data is no row-level question: only the service key may.
                    if (!who.is_service()) {
                      throw storage::Error::PermissionDenied(
                          who.is_anon(), "permission denied: reset requires the service_role key");
                    }
                    const int tables = storage::ResetAllData(ctx.db, who, rc.clock);
                    res.set_content(
                        "{\"status\":\"ok\",\"tables_emptied\":" + std::to_string(tables) + "}",
                        "application/json; charset=utf-8");
                  },
                  ctx.config.log_requests));
}

}  // namespace ib::http
