#include "server/auth/auth_guard.h"

#include <cctype>

#include "server/auth/auth_errors.h"
#include "server/auth/jwt.h"
#include "server/auth/users.h"
#include "storage/text.h"

namespace ib::auth {
namespace {

// GoTrue's extractBearerToken: "Bearer <token>", scheme case-insensitive; anything else is
// no bearer at all.
std::optional<std::string_view> BearerOf(std::optional<std::string_view> header) {
  if (!header) return std::nullopt;
  std::string_view h = storage::Trim(*header, storage::kHttpSpace);
  if (h.size() <= 7) return std::nullopt;
  for (size_t i = 0; i < 6; ++i) {
    if (std::tolower(static_cast<unsigned char>(h[i])) != "bearer"[i]) return std::nullopt;
  }
  if (h[6] != ' ') return std::nullopt;
  std::string_view token = storage::Trim(h.substr(7), storage::kHttpSpace);
  if (token.empty()) return std::nullopt;
  return token;
}

std::string ClaimString(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

void RequireApiKey(std::optional<std::string_view> apikey, std::string_view secret,
                   int64_t now_seconds) {
  if (!apikey || storage::Trim(*apikey, storage::kHttpSpace).empty()) {
    throw errors::InvalidApiKey(/*missing=*/true);
  }
  JwtResult key = VerifyHs256(storage::Trim(*apikey, storage::kHttpSpace), secret, now_seconds);
  if (!key.ok()) throw errors::InvalidApiKey(false);
  std::string role = ClaimString(key.claims, "role");
  if (role != "anon" && role != "service_role") throw errors::InvalidApiKey(false);
}

nlohmann::json RequireBearer(std::optional<std::string_view> authorization, std::string_view secret,
                             int64_t now_seconds) {
  auto token = BearerOf(authorization);
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
  if (!IsUuid(out.user_id)) {
    throw storage::Error(400, "bad_jwt", "invalid claim: sub claim must be a UUID");
  }
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
