#include "server/http/cors.h"

namespace ib::http {

void RegisterCors(httplib::Server& server) {
  server.Options(R"(.*)", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 204;
    res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
    std::string requested = req.get_header_value("Access-Control-Request-Headers");
    res.set_header("Access-Control-Allow-Headers",
                   requested.empty() ? std::string("*") : requested);
    res.set_header("Access-Control-Max-Age", "86400");
  });
}

void AddCorsHeaders(httplib::Response& res) {
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Access-Control-Expose-Headers",
                 "Content-Range, X-Total-Count, Link, X-Supabase-Api-Version, "
                 "Content-Location, Preference-Applied, Location");
}

}  // namespace ib::http
