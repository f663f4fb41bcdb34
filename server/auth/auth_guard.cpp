#include "server/auth/auth_guard.h"

#include "server/auth/auth_errors.h"
#include "server/auth/authenticate.h"
#include "server/auth/jwt.h"
#include "server/auth/users.h"

namespace ib::auth {
namespace {

std::string ClaimString(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

void RequireApiKey(std::optional<std::string_view> apikey, std::string_view secret,
                   int64_t now_seconds) {
  const ApiKeyCheck key = CheckApiKey(apikey, secret, now_seconds);
  if (key != ApiKeyCheck::kValid) throw errors::InvalidApiKey(key == ApiKeyCheck::kMissing);
}

nlohmann::json RequireBearer(std::optional<std::string_view> authorization, std::string_view secret,
                             int64_t now_seconds) {
  // GoTrue's extractBearerToken: a header of another scheme is no bearer at all.
  auto token = BearerToken(authorization);
  if (!token) throw errors::NoAuthorization();
  JwtResult jwt = VerifyHs256(*token, secret, now_seconds);
  if (jwt.ok()) return std::move(jwt.claims);
  if (jwt.failure == JwtFailure::kExpired) {
    throw errors::UnverifiableJwt("token has invalid claims: token is expired");
  }
  throw errors::UnverifiableJwt(jwt.message);
}

UserClaims RequireUserToken(std::optional<std::string_view> authorization, std::string_view secret,
                            int64_t now_seconds) {
  nlohmann::json claims = RequireBearer(authorization, secret, now_seconds);
  UserClaims out;
  out.user_id = ClaimString(claims, "sub");
  if (out.user_id.empty()) throw errors::BadJwt("invalid claim: missing sub claim");
  if (!IsUuid(out.user_id)) throw errors::SubNotUuid();
  std::string session = ClaimString(claims, "session_id");
  if (!session.empty() && session != "00000000-0000-0000-0000-000000000000") {
    if (!IsUuid(session)) throw errors::BadJwt("invalid claim: session_id claim must be a UUID");
    out.session_id = session;
  }
  return out;
}

void RequireAdmin(std::optional<std::string_view> authorization, std::string_view secret,
                  int64_t now_seconds) {
  nlohmann::json claims = RequireBearer(authorization, secret, now_seconds);
  std::string role = ClaimString(claims, "role");
  if (role != "service_role" && role != "supabase_admin") throw errors::NotAdmin();
}

}  // namespace ib::auth
