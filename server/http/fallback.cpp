#include "server/http/fallback.h"

#include "storage/error.h"

namespace ib::http {

void RegisterFallback(httplib::Server& server) {
  // httplib calls this for every status >= 400; handlers that rendered their own error body
  // keep it.
  httplib::Server::HandlerWithResponse handler = [](const httplib::Request&,
                                                    httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    res.set_content(storage::Error::FromHttpStatus(res.status).ToJson(),
                    "application/json; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  };
  server.set_error_handler(std::move(handler));
}

}  // namespace ib::http
