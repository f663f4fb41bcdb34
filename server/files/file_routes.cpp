#include "server/files/file_routes.h"

#include "server/files/file_errors.h"
#include "server/files/file_routes_internal.h"
#include "storage/json_input.h"
#include "storage/objects/content_store.h"

namespace ib::files {
namespace routes {

std::string Capture(const httplib::Request& req, size_t i) {
  return req.matches.size() > i ? std::string(req.matches[i]) : std::string();
}

Caller Authenticate(const httplib::Request& req, const http::ServerContext& ctx,
                    http::RequestContext& rc, AuthMode mode) {
  Caller caller{storage::Principal{}, rc.clock};
  caller.who = StoragePrincipal(http::Header(req, "Authorization"), http::Header(req, "apikey"),
                                ctx.secret, caller.clock.now_seconds(), mode);
  rc.principal = storage::RoleName(caller.who.role);
  if (!caller.who.user_id.empty()) rc.principal += ":" + caller.who.user_id;
  return caller;
}

nlohmann::json JsonBody(const httplib::Request& req) {
  if (req.body.empty()) return nlohmann::json::object();
  storage::ClientJson body = storage::ParseClientJson(req.body);
  if (body.outcome == storage::ClientJson::Outcome::kTooDeep)
    throw errors::InvalidRequest(body.error);
  if (!body.ok()) throw errors::InvalidRequest("body is not valid JSON");
  return std::move(body.value);
}

std::optional<std::string> QueryValue(const httplib::Request& req, const char* name) {
  for (auto& [key, value] : http::QueryPairs(req)) {
    if (key == name) return value;
  }
  return std::nullopt;
}

void SendJson(httplib::Response& res, const nlohmann::json& body) {
  res.status = 200;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

httplib::Server::Handler Storage(http::Handler handler) {
  return http::Wrap(http::Service::kStorage, std::move(handler));
}

}  // namespace routes

void RegisterFileRoutes(httplib::Server& server, const http::ServerContext& ctx) {
  storage::objects::RemoveAbandonedUploads(ctx.db, storage::RequestClock::Now());
  // Order matters among GET routes (first match wins): the fixed words (info, public, sign,
  // authenticated) before the generic /object/{bucket}/{key}.
  routes::RegisterBucketRoutes(server, ctx);
  routes::RegisterObjectRoutes(server, ctx);
  routes::RegisterDownloadRoutes(server, ctx);
  routes::RegisterUploadRoutes(server, ctx);
}

}  // namespace ib::files
