#include "server/realtime/realtime_token.h"

#include <nlohmann/json.hpp>

#include "server/auth/authenticate.h"
#include "server/auth/jwt.h"

namespace ib::realtime {
namespace {

// The `exp` claim of a token whose signature is good but which has expired: VerifyHs256 reports
// the expiry without the claims, so the payload is read again here.
int64_t ExpiryOf(std::string_view token) {
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos) return 0;
  auto payload = auth::Base64UrlDecode(token.substr(first + 1, second - first - 1));
  if (!payload) return 0;
  auto claims = nlohmann::json::parse(*payload, nullptr, false);
  if (!claims.is_object()) return 0;
  auto exp = claims.find("exp");
  return exp != claims.end() && exp->is_number() ? exp->get<int64_t>() : 0;
}

TokenCheck Refused(std::string code, std::string message) {
  TokenCheck out;
  out.code = std::move(code);
  out.message = std::move(message);
  return out;
}

}  // namespace

TokenCheck CheckToken(std::string_view token, std::string_view secret, int64_t now) {
  if (token.size() > size_t{16} * 1024) {
    return Refused("MalformedJWT", "The token provided is not a valid JWT");
  }
  std::string bearer = "Bearer " + std::string(token);
  auth::AuthOutcome outcome = auth::Resolve(bearer, std::nullopt, secret, now);
  if (outcome.jwt_failure) {
    switch (*outcome.jwt_failure) {
      case auth::JwtFailure::kExpired:
        return Refused(
            "InvalidJWTToken",
            "Token has expired " + std::to_string(now - ExpiryOf(token)) + " seconds ago");
      case auth::JwtFailure::kBadSignature:
        return Refused("JwtSignatureError", "Failed to validate JWT signature");
      default:
        return Refused("MalformedJWT", "The token provided is not a valid JWT");
    }
  }
  if (!outcome.principal) {
    return Refused("InvalidJWTToken", "Fields `role` and `exp` are required in JWT");
  }
  const nlohmann::json& claims = outcome.principal->claims;
  auto exp = claims.find("exp");
  if (!claims.contains("role") || exp == claims.end() || !exp->is_number()) {
    return Refused("InvalidJWTToken", "Fields `role` and `exp` are required in JWT");
  }
  TokenCheck out;
  out.expires_at = exp->get<int64_t>();  // before the claims move
  out.principal = std::move(outcome.principal);
  return out;
}

}  // namespace ib::realtime
