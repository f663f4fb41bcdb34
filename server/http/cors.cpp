#include "server/http/cors.h"

#include <algorithm>
#include <utility>

namespace ib::http {
namespace {

// What a browser app may read of a response. X-Request-Id too, so that an app can quote the id
// under which the access log recorded a failed call.
constexpr const char* kExposeHeaders =
    "Content-Range, X-Total-Count, Link, X-Supabase-Api-Version, Content-Location, "
    "Preference-Applied, Location, X-Request-Id";

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins)
    : any_origin_(origins.size() == 1 && origins[0] == "*"), origins_(std::move(origins)) {}

bool CorsPolicy::Allowed(std::string_view origin) const {
  // Origins compare byte for byte: browsers send the serialized origin (lower-case scheme and
  // host, no default port), the form --cors-origins documents.
  return std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

void CorsPolicy::Decorate(std::string_view origin, httplib::Response& res) const {
  if (any_origin_) {
    res.set_header("Access-Control-Allow-Origin", "*");
    res.set_header("Access-Control-Expose-Headers", kExposeHeaders);
    return;
  }
  // The answer depends on Origin: a cache must not hand one origin's answer to another.
  res.set_header("Vary", "Origin");
  if (origin.empty() || !Allowed(origin)) return;
  res.set_header("Access-Control-Allow-Origin", std::string(origin));
  res.set_header("Access-Control-Expose-Headers", kExposeHeaders);
}

void CorsPolicy::Preflight(const httplib::Request& req, httplib::Response& res) const {
  res.status = 204;
  if (!any_origin_ && !Allowed(req.get_header_value("Origin"))) return;
  res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
  std::string requested = req.get_header_value("Access-Control-Request-Headers");
  res.set_header("Access-Control-Allow-Headers", requested.empty() ? std::string("*") : requested);
  res.set_header("Access-Control-Max-Age", "86400");
}

void RegisterCors(httplib::Server& server, std::shared_ptr<const CorsPolicy> cors) {
  server.Options(R"(.*)",
                 [cors = std::move(cors)](const httplib::Request& req, httplib::Response& res) {
                   cors->Preflight(req, res);
                 });
}

}  // namespace ib::http
