#include "server/http/fallback.h"

#include "storage/error.h"

namespace ib::http {
namespace {

storage::Error FallbackError(int status) {
  switch (status) {
    case 404: return storage::Error(404, "PGRST000", "Not Found: no route matches this path");
    case 405: return storage::Error(405, "PGRST117", "Method Not Allowed");
    case 413: return storage::Error(413, "PGRST413", "Payload Too Large");
    case 414: return storage::Error(414, "PGRST414", "URI Too Long");
    case 431: return storage::Error(431, "PGRST431", "Request Header Fields Too Large");
    default:
      return storage::Error(status, "PGRST" + std::to_string(status),
                            status >= 500 ? "internal server error" : "Bad Request");
  }
}

}  // namespace

void RegisterFallback(httplib::Server& server) {
  // httplib calls this for every status >= 400; handlers that rendered their own error body
  // keep it.
  httplib::Server::HandlerWithResponse handler = [](const httplib::Request&,
                                                     httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    res.set_content(FallbackError(res.status).ToJson(), "application/json; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  };
  server.set_error_handler(std::move(handler));
}

}  // namespace ib::http
