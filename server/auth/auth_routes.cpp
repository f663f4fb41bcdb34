#include "server/auth/auth_routes.h"

#include <memory>

#include "server/auth/admin_users.h"
#include "server/auth/auth_errors.h"
#include "server/auth/auth_guard.h"
#include "server/auth/sessions.h"
#include "server/http/handler.h"
#include "storage/json_input.h"

namespace ib::auth {
namespace {

using httplib::Request;
using httplib::Response;

struct AuthServices {
  explicit AuthServices(const AuthEnv& env) : sessions(env), admin(env) {}
  Sessions sessions;
  AdminUsers admin;
};

AuthOptions OptionsFrom(const Config& c) {
  AuthOptions o;
  o.jwt_expiry = c.jwt_expiry;
  o.refresh_reuse_interval = c.refresh_reuse_interval;
  o.password_min_length = c.password_min_length;
  o.password_cost =
      c.password_cost == PasswordCostLevel::kMinimal ? MinimalCost() : InteractiveCost();
  o.signin_failures_per_email = c.signin_failures_per_email;
  o.signin_failures_per_ip = c.signin_failures_per_ip;
  o.signin_failures_per_account = c.signin_failures_per_account;
  o.signups_per_ip = c.signups_per_ip;
  o.refreshes_per_ip = c.refreshes_per_ip;
  return o;
}

// The request's facts, with the one clock read for the whole request.
RequestMeta MetaOf(const Request& req) {
  RequestMeta meta;
  // The socket peer, never X-Forwarded-For: a header is the client's to choose.
  meta.ip = ClientAddressKey(req.remote_addr);
  const std::string host = req.get_header_value("Host");
  meta.issuer = host.empty() ? "supabase" : "http://" + host + "/auth/v1";
  meta.clock = storage::RequestClock::Now();
  return meta;
}

// The JSON object body; an empty body reads as {} so field checks give the precise error.
// Parsed with the nesting bound, so a deep document is refused before any copy of it exists.
nlohmann::json BodyOf(const Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  storage::ClientJson body = storage::ParseClientJson(req.body);
  if (!body.ok()) throw errors::BadJson(body.error);
  if (!body.value.is_object()) throw errors::BadJson("the body must be a JSON object");
  return std::move(body.value);
}

void SendJson(Response& res, const nlohmann::json& body) {
  res.status = 200;
  res.set_header("X-Supabase-Api-Version", "2024-01-01");
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

std::optional<std::string> ApiKeyOf(const Request& req) {
  if (auto key = http::Header(req, "apikey")) return key;
  if (req.has_param("apikey")) return req.get_param_value("apikey");  // Kong accepts ?apikey=
  return std::nullopt;
}

// What a route body gets: the request, its response, the log context and the request's facts.
struct Call {
  const Request& req;
  Response& res;
  http::RequestContext& rc;
  const RequestMeta& meta;
};
using Body = std::function<void(Call&)>;

// Every /auth/v1 route: the clock read once, the gateway's apikey check first, errors in
// GoTrue's shape.
httplib::Server::Handler Route(const http::ServerContext& ctx, Body body) {
  return http::Wrap(
      http::Service::kAuth,
      [&ctx, body = std::move(body)](const Request& req, Response& res, http::RequestContext& rc) {
        const RequestMeta meta = MetaOf(req);
        RequireApiKey(ApiKeyOf(req), ctx.secret, meta.now_seconds());
        Call call{req, res, rc, meta};
        body(call);
      });
}

UserClaims UserOf(Call& c, const http::ServerContext& ctx) {
  UserClaims who =
      RequireUserToken(http::Header(c.req, "Authorization"), ctx.secret, c.meta.now_seconds());
  c.rc.principal = "authenticated:" + who.user_id;
  return who;
}

void RequireAdminOf(Call& c, const http::ServerContext& ctx) {
  RequireAdmin(http::Header(c.req, "Authorization"), ctx.secret, c.meta.now_seconds());
  c.rc.principal = "service_role";
}

void RegisterSessionRoutes(httplib::Server& server, const http::ServerContext& ctx,
                           const std::shared_ptr<AuthServices>& s) {
  server.Post("/auth/v1/signup", Route(ctx, [s](Call& c) {
                SendJson(c.res, s->sessions.SignUp(BodyOf(c.req), c.meta));
              }));
  server.Post("/auth/v1/token", Route(ctx, [s](Call& c) {
                const std::string grant = c.req.get_param_value("grant_type");
                if (grant == "password") {
                  SendJson(c.res, s->sessions.SignInWithPassword(BodyOf(c.req), c.meta));
                } else if (grant == "refresh_token") {
                  SendJson(c.res, s->sessions.Refresh(BodyOf(c.req), c.meta));
                } else {
                  throw errors::ValidationFailed("unsupported_grant_type");
                }
              }));
  server.Get("/auth/v1/user", Route(ctx, [s, &ctx](Call& c) {
               SendJson(c.res, s->sessions.GetUser(UserOf(c, ctx), c.meta));
             }));
  server.Put("/auth/v1/user", Route(ctx, [s, &ctx](Call& c) {
               UserClaims who = UserOf(c, ctx);
               SendJson(c.res, s->sessions.UpdateUser(who, BodyOf(c.req), c.meta));
             }));
  server.Post("/auth/v1/logout", Route(ctx, [s, &ctx](Call& c) {
                UserClaims who = UserOf(c, ctx);
                s->sessions.Logout(who, c.req.get_param_value("scope"), c.meta);
                c.res.status = 204;
                c.res.set_header("X-Supabase-Api-Version", "2024-01-01");
              }));
}

void RegisterAdminRoutes(httplib::Server& server, const http::ServerContext& ctx,
                         const std::shared_ptr<AuthServices>& s) {
  constexpr const char* kUsers = "/auth/v1/admin/users";
  constexpr const char* kUser = R"(/auth/v1/admin/users/([^/]+))";
  server.Post(kUsers, Route(ctx, [s, &ctx](Call& c) {
                RequireAdminOf(c, ctx);
                SendJson(c.res, s->admin.Create(BodyOf(c.req), c.meta));
              }));
  server.Get(kUsers, Route(ctx, [s, &ctx](Call& c) {
               RequireAdminOf(c, ctx);
               UserListPage page =
                   s->admin.List(c.req.get_param_value("page"), c.req.get_param_value("per_page"),
                                 c.req.get_param_value("filter"), kUsers, c.meta);
               SendJson(c.res, page.body);
               c.res.set_header("X-Total-Count", std::to_string(page.total));
               c.res.set_header("Link", page.link);
             }));
  server.Get(kUser, Route(ctx, [s, &ctx](Call& c) {
               RequireAdminOf(c, ctx);
               SendJson(c.res, s->admin.Get(c.req.matches[1].str(), c.meta));
             }));
  server.Put(kUser, Route(ctx, [s, &ctx](Call& c) {
               RequireAdminOf(c, ctx);
               SendJson(c.res, s->admin.Update(c.req.matches[1].str(), BodyOf(c.req), c.meta));
             }));
  server.Delete(kUser, Route(ctx, [s, &ctx](Call& c) {
                  RequireAdminOf(c, ctx);
                  s->admin.Delete(c.req.matches[1].str(), c.meta);
                  SendJson(c.res, nlohmann::json::object());
                }));
}

void RegisterInfoRoutes(httplib::Server& server, const http::ServerContext& ctx) {
  server.Get("/auth/v1/health", Route(ctx, [](Call& c) {
               SendJson(c.res, {{"version", IB_VERSION},
                                {"name", "GoTrue"},
                                {"description",
                                 "GoTrue is a user registration and authentication "
                                 "API (served by interviewbase)"}});
             }));
  server.Get("/auth/v1/settings", Route(ctx, [](Call& c) {
               SendJson(c.res, {{"external",
                                 {{"anonymous_users", false}, {"email", true}, {"phone", false}}},
                                {"disable_signup", false},
                                {"mailer_autoconfirm", true},
                                {"phone_autoconfirm", false},
                                {"sms_provider", ""},
                                {"saml_enabled", false}});
             }));
  // Anything else under /auth/v1 (otp, recover, verify, factors, ...) is not served.
  auto not_found = Route(ctx, [](Call&) { throw errors::NotFound(); });
  constexpr const char* kAny = R"(/auth/v1(/.*)?)";
  server.Get(kAny, not_found);
  server.Post(kAny, not_found);
  server.Put(kAny, not_found);
  server.Patch(kAny, not_found);
  server.Delete(kAny, not_found);
}

}  // namespace

void RegisterAuthRoutes(httplib::Server& server, const http::ServerContext& ctx) {
  AuthEnv env{ctx.db, ctx.secret, OptionsFrom(ctx.config)};
  auto services = std::make_shared<AuthServices>(env);
  RegisterSessionRoutes(server, ctx, services);
  RegisterAdminRoutes(server, ctx, services);
  RegisterInfoRoutes(server, ctx);  // last: its catch-all must not shadow the routes above
}

}  // namespace ib::auth
