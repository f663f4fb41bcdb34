#include "server/dashboard/dashboard_routes.h"

#include <string>

#include "server/dashboard/dashboard_assets.h"
#include "server/http/handler.h"

namespace ib::dashboard {
namespace {

void SetPageHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
}

void ServeAsset(const httplib::Request& req, httplib::Response& res) {
  SetPageHeaders(res);
  const Asset* asset = FindAsset(req.matches[1].str());
  if (asset == nullptr) {
    res.status = 404;
    res.set_content("not found\n", "text/plain; charset=utf-8");
    return;
  }
  const std::string etag = ETagOf(*asset);
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "no-cache");
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  res.set_content(std::string(asset->bytes), std::string(ContentTypeFor(asset->path)));
}

}  // namespace

void RegisterDashboardRoutes(httplib::Server& server) {
  server.Get("/_",
             http::Wrap(http::Service::kPlain, [](const httplib::Request&, httplib::Response& res,
                                                  http::RequestContext& rc) {
               rc.principal = "public";
               res.set_redirect("/_/", 308);
             }));
  server.Get(R"(/_/(.*))", http::Wrap(http::Service::kPlain,
                                      [](const httplib::Request& req, httplib::Response& res,
                                         http::RequestContext& rc) {
                                        rc.principal = "public";
                                        ServeAsset(req, res);
                                      }));
}

}  // namespace ib::dashboard
