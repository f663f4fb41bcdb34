#include "server/auth/auth_routes.h"

#include <chrono>
#include <memory>

#include "server/auth/admin_users.h"
#include "server/auth/auth_errors.h"
#include "server/auth/auth_guard.h"
#include "server/auth/sessions.h"
#include "server/http/handler.h"

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
  o.signups_per_ip = c.signups_per_ip;
  o.refreshes_per_ip = c.refreshes_per_ip;
  return o;
}

RequestMeta MetaOf(const Request& req) {
  RequestMeta meta;
  meta.ip = req.remote_addr;
  const std::string host = req.get_header_value("Host");
  meta.issuer = host.empty() ? "supabase" : "http://" + host + "/auth/v1";
  meta.now_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return meta;
}

// The JSON object body; an empty body reads as {} so field checks give the precise error.
nlohmann::json BodyOf(const Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(req.body);
  } catch (const nlohmann::json::exception& e) {
    throw errors::BadJson(e.what());
  }
  if (!body.is_object()) throw errors::BadJson("the body must be a JSON object");
  return body;
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

using Body = std::function<void(const Request&, Response&, http::RequestContext&)>;

// Every /auth/v1 route: the gateway's apikey check first, errors in GoTrue's shape.
httplib::Server::Handler Route(const http::ServerContext& ctx, Body body) {
  return http::Wrap(
      http::Service::kAuth,
      [&ctx, body = std::move(body)](const Request& req, Response& res, http::RequestContext& rc) {
        RequireApiKey(ApiKeyOf(req), ctx.secret, http::NowSeconds());
        body(req, res, rc);
      },
      ctx.config.log_requests);
}

UserClaims UserOf(const Request& req, const http::ServerContext& ctx, http::RequestContext& rc) {
  UserClaims who =
      RequireUserToken(http::Header(req, "Authorization"), ctx.secret, http::NowSeconds());
  rc.principal = "authenticated:" + who.user_id;
  return who;
}

void RequireAdminOf(const Request& req, const http::ServerContext& ctx, http::RequestContext& rc) {
  RequireAdmin(http::Header(req, "Authorization"), ctx.secret, http::NowSeconds());
  rc.principal = "service_role";
}

void RegisterSessionRoutes(httplib::Server& server, const http::ServerContext& ctx,
                           const std::shared_ptr<AuthServices>& s) {
  server.Post("/auth/v1/signup", Route(ctx, [s](const Request& req, Response& res, auto&) {
                SendJson(res, s->sessions.SignUp(BodyOf(req), MetaOf(req)));
              }));
  server.Post("/auth/v1/token", Route(ctx, [s](const Request& req, Response& res, auto&) {
                const std::string grant = req.get_param_value("grant_type");
                if (grant == "password") {
                  SendJson(res, s->sessions.SignInWithPassword(BodyOf(req), MetaOf(req)));
                } else if (grant == "refresh_token") {
                  SendJson(res, s->sessions.Refresh(BodyOf(req), MetaOf(req)));
                } else {
                  throw errors::ValidationFailed("unsupported_grant_type");
                }
              }));
  server.Get("/auth/v1/user", Route(ctx, [s, &ctx](const Request& req, Response& res, auto& rc) {
               SendJson(res, s->sessions.GetUser(UserOf(req, ctx, rc), MetaOf(req)));
             }));
  server.Put("/auth/v1/user", Route(ctx, [s, &ctx](const Request& req, Response& res, auto& rc) {
               UserClaims who = UserOf(req, ctx, rc);
               SendJson(res, s->sessions.UpdateUser(who, BodyOf(req), MetaOf(req)));
             }));
  server.Post("/auth/v1/logout", Route(ctx, [s, &ctx](const Request& req, Response& res, auto& rc) {
                UserClaims who = UserOf(req, ctx, rc);
                s->sessions.Logout(who, req.get_param_value("scope"), MetaOf(req));
                res.status = 204;
                res.set_header("X-Supabase-Api-Version", "2024-01-01");
              }));
}

void RegisterAdminRoutes(httplib::Server& server, const http::ServerContext& ctx,
                         const std::shared_ptr<AuthServices>& s) {
  constexpr const char* kUsers = "/auth/v1/admin/users";
  constexpr const char* kUser = R"(/auth/v1/admin/users/([^/]+))";
  server.Post(kUsers, Route(ctx, [s, &ctx](const Request& req, Response& res, auto& rc) {
                RequireAdminOf(req, ctx, rc);
                SendJson(res, s->admin.Create(BodyOf(req), MetaOf(req)));
              }));
  server.Get(kUsers, Route(ctx, [s, &ctx](const Request& req, Response& res, auto& rc) {
               RequireAdminOf(req, ctx, rc);
               UserListPage page =
                   s->admin.List(req.get_param_value("page"), req.get_param_value("per_page"),
                                 kUsers, MetaOf(req));
               SendJson(res, page.body);
               res.set_header("X-Total-Count", std::to_string(page.total));
               res.set_header("Link", page.link);
             }));
  server.Get(kUser, Route(ctx, [s, &ctx](const Request& req, Response& res, auto& rc) {
               RequireAdminOf(req, ctx, rc);
               SendJson(res, s->admin.Get(req.matches[1].str(), MetaOf(req)));
             }));
  server.Put(kUser, Route(ctx, [s, &ctx](const Request& req, Response& res, auto& rc) {
               RequireAdminOf(req, ctx, rc);
               SendJson(res, s->admin.Update(req.matches[1].str(), BodyOf(req), MetaOf(req)));
             }));
  server.Delete(kUser, Route(ctx, [s, &ctx](const Request& req, Response& res, auto& rc) {
                  RequireAdminOf(req, ctx, rc);
                  s->admin.Delete(req.matches[1].str(), MetaOf(req));
                  SendJson(res, nlohmann::json::object());
                }));
}

void RegisterInfoRoutes(httplib::Server& server, const http::ServerContext& ctx) {
  server.Get("/auth/v1/health", Route(ctx, [](const Request&, Response& res, auto&) {
               SendJson(res, {{"version", IB_VERSION},
                              {"name", "GoTrue"},
                              {"description",
                               "GoTrue is a user registration and authentication "
                               "API (served by interviewbase)"}});
             }));
  server.Get("/auth/v1/settings", Route(ctx, [](const Request&, Response& res, auto&) {
               SendJson(res, {{"external",
                               {{"anonymous_users", false}, {"email", true}, {"phone", false}}},
                              {"disable_signup", false},
                              {"mailer_autoconfirm", true},
                              {"phone_autoconfirm", false},
                              {"sms_provider", ""},
                              {"saml_enabled", false}});
             }));
  // Anything else under /auth/v1 (otp, recover, verify, factors, ...) is not served.
  auto not_found = Route(ctx, [](const Request&, Response&, auto&) { throw errors::NotFound(); });
  constexpr const char* kAny = R"(/auth/v1(/.*)?)";
  server.Get(kAny, not_found);
  server.Post(kAny, not_found);
  server.Put(kAny, not_found);
  server.Patch(kAny, not_found);
  server.Delete(kAny, not_found);
}

}  // namespace

void RegisterAuthRoutes(httplib::Server& server, const http::ServerContext& ctx) {
  AuthEnv env{ctx.db, ctx.catalog, ctx.secret, OptionsFrom(ctx.config)};
  auto services = std::make_shared<AuthServices>(env);
  RegisterSessionRoutes(server, ctx, services);
  RegisterAdminRoutes(server, ctx, services);
  RegisterInfoRoutes(server, ctx);  // last: its catch-all must not shadow the routes above
}

}  // namespace ib::auth
