// Shared pieces of the /storage/v1 route files (bucket_routes, object_routes, upload_routes,
// download_routes): request helpers and each group's registration. Only *_routes.cpp include
// this header (it brings httplib.h). Helpers are stateless and thread-safe.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/files/file_auth.h"
#include "server/http/handler.h"
#include "server/http/server_context.h"
#include "storage/principal.h"
#include "storage/request_clock.h"

namespace ib::files::routes {

inline constexpr const char* kPrefix = "/storage/v1";

// std::string(req.matches[i]) (httplib has percent-decoded the path); "" when absent.
std::string Capture(const httplib::Request& req, size_t i);
// Who asks (named on the log line too) and the request's one instant (rc.clock): every row
// the request stamps and every token it checks or signs use it.
struct Caller {
  storage::Principal who;
  storage::RequestClock clock;
};
Caller Authenticate(const httplib::Request& req, const http::ServerContext& ctx,
                    http::RequestContext& rc, AuthMode mode = AuthMode::kStrict);
// The JSON body ({} when empty); InvalidRequest when it is not JSON.
nlohmann::json JsonBody(const httplib::Request& req);
// The first query parameter called `name`, decoded.
std::optional<std::string> QueryValue(const httplib::Request& req, const char* name);
// 200 with `body` as application/json (invalid UTF-8 replaced, never thrown on).
void SendJson(httplib::Response& res, const nlohmann::json& body);
// http::Wrap(kStorage, handler): errors in Storage's shape.
httplib::Server::Handler Storage(http::Handler handler);

void RegisterBucketRoutes(httplib::Server& server, const http::ServerContext& ctx);
void RegisterObjectRoutes(httplib::Server& server, const http::ServerContext& ctx);
void RegisterUploadRoutes(httplib::Server& server, const http::ServerContext& ctx);
void RegisterDownloadRoutes(httplib::Server& server, const http::ServerContext& ctx);

}  // namespace ib::files::routes
