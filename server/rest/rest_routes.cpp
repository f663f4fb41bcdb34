#include "server/rest/rest_routes.h"

#include <utility>

#include "server/auth/authenticate.h"
#include "server/http/handler.h"
#include "server/http/request_head.h"
#include "server/rest/openapi.h"

namespace ib::rest {
namespace {

RestRequest ToRestRequest(const httplib::Request& req, bool rpc) {
  RestRequest r;
  r.method = req.method;
  r.rpc = rpc;
  // httplib has percent-decoded the path already; matches[1] is the resource segment.
  r.resource = req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
  r.params = http::QueryPairs(req);
  r.accept = req.get_header_value("Accept");
  auto prefer = req.headers.equal_range("Prefer");  // every Prefer header, in order
  for (auto it = prefer.first; it != prefer.second; ++it) r.prefer.push_back(it->second);
  // Row ranges (`Range: 0-9`) arrive renamed by the connection layer (RenderHead), which keeps them
  // from httplib.
  r.range = http::Header(req, http::kRowRangeHeader);
  bool read = req.method == "GET" || req.method == "HEAD";
  r.profile = http::Header(req, read ? "Accept-Profile" : "Content-Profile");
  r.body = req.body;
  return r;
}

void Send(RestResponse&& out, httplib::Response& res) {
  res.status = out.status;
  for (const auto& [name, value] : out.headers) res.set_header(name, value);
  if (!out.content_type.empty()) {
    // Moved, not copied (set_content copies): a list's body is some 16 KB.
    res.body = std::move(out.body);
    res.set_header("Content-Type", out.content_type);
  } else {
    res.body.clear();
  }
}

http::Handler MakeHandler(RestEngine& engine, const http::ServerContext& ctx, bool rpc) {
  return [&engine, &ctx, rpc](const httplib::Request& req, httplib::Response& res,
                              http::RequestContext& rc) {
    storage::Principal who =
        auth::AuthenticateRest(http::Header(req, "Authorization"), http::Header(req, "apikey"),
                               ctx.secret, rc.clock.now_seconds());
    rc.principal = storage::RoleName(who.role);
    Send(engine.Handle(ToRestRequest(req, rpc), who, rc.clock), res);
  };
}

}  // namespace

void RegisterRestRoutes(httplib::Server& server, RestEngine& engine,
                        const http::ServerContext& ctx) {
  auto table = http::Wrap(http::Service::kRest, MakeHandler(engine, ctx, false));
  auto rpc = http::Wrap(http::Service::kRest, MakeHandler(engine, ctx, true));
  const char* kRpc = R"(/rest/v1/rpc/([^/]+))";
  const char* kTable = R"(/rest/v1/([^/]+))";
  server.Get(kRpc, rpc);
  server.Post(kRpc, rpc);
  auto wrong_verb = http::Wrap(http::Service::kRest, [](const httplib::Request& req,
                                                        httplib::Response&, http::RequestContext&) {
    throw storage::Error::MethodNotAllowedOnRpc(req.method);
  });
  server.Put(kRpc, wrong_verb);
  server.Patch(kRpc, wrong_verb);
  server.Delete(kRpc, wrong_verb);
  server.Get(R"(/rest/v1/?)", http::Wrap(http::Service::kRest, [&ctx](const httplib::Request& req,
                                                                      httplib::Response& res,
                                                                      http::RequestContext& rc) {
               storage::Principal who = auth::AuthenticateRest(http::Header(req, "Authorization"),
                                                               http::Header(req, "apikey"),
                                                               ctx.secret, rc.clock.now_seconds());
               rc.principal = storage::RoleName(who.role);
               std::string host = req.get_header_value("Host");
               res.set_content(BuildOpenApi(*ctx.catalog, host, IB_VERSION),
                               "application/openapi+json; charset=utf-8");
             }));
  server.Get(kTable, table);
  server.Post(kTable, table);
  server.Patch(kTable, table);
  server.Delete(kTable, table);
  server.Put(kTable, table);
}

}  // namespace ib::rest
