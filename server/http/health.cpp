#include "server/http/health.h"

#include "server/http/handler.h"
#include "storage/server_store.h"

namespace ib::http {

void RegisterHealthRoute(httplib::Server& server, const ServerContext& ctx) {
  server.Get("/health", Wrap(Service::kPlain, [&ctx](const httplib::Request&,
                                                     httplib::Response& res, RequestContext& rc) {
               // Touch the database so a broken file shows as unhealthy.
               storage::ProbeReadable(ctx.db, rc.clock);
               res.set_content(
                   "{\"status\":\"ok\",\"schema_version\":" + std::to_string(ctx.schema_version) +
                       ",\"version\":\"" IB_VERSION "\"}",
                   "application/json; charset=utf-8");
             }));
}

}  // namespace ib::http
