#include "server/auth/authenticate.h"

#include <cctype>
#include <string>

#include "server/auth/auth_errors.h"
#include "server/auth/token_cache.h"
#include "storage/error.h"
#include "storage/text.h"

namespace ib::auth {

std::optional<std::string_view> BearerToken(std::optional<std::string_view> authorization) {
  if (!authorization) return std::nullopt;
  std::string_view h = storage::Trim(*authorization, storage::kHttpSpace);
  if (h.size() <= 7 || h[6] != ' ') return std::nullopt;
  for (size_t i = 0; i < 6; ++i) {
    if (std::tolower(static_cast<unsigned char>(h[i])) != "bearer"[i]) return std::nullopt;
  }
  std::string_view token = storage::Trim(h.substr(7), storage::kHttpSpace);
  if (token.empty()) return std::nullopt;
  return token;
}

namespace {

// The token a request presents: the Authorization header's, else the apikey's; none when both
// are absent or blank.
std::optional<std::string_view> RequestToken(std::optional<std::string_view> authorization,
                                             std::optional<std::string_view> apikey) {
  if (authorization && !storage::Trim(*authorization, storage::kHttpSpace).empty()) {
    // PostgREST reads a header of another scheme as the token itself, so it fails as a JWT
    // instead of passing as anon.
    return BearerToken(authorization).value_or(storage::Trim(*authorization, storage::kHttpSpace));
  }
  if (apikey && !storage::Trim(*apikey, storage::kHttpSpace).empty()) {
    // Supabase: the apikey alone counts as the bearer.
    return storage::Trim(*apikey, storage::kHttpSpace);
  }
  return std::nullopt;
}

// A token the cache does not know: verified, its role read, and cached when it is valid.
AuthOutcome VerifyToken(std::string_view token, std::string_view secret, int64_t now) {
  AuthOutcome out;
  JwtResult jwt = VerifyHs256(token, secret, now);
  if (!jwt.ok()) {
    out.jwt_failure = jwt.failure;
    out.message = jwt.message;
    return out;
  }
  storage::Principal p;
  p.claims = std::move(jwt.claims);
  auto role_it = p.claims.find("role");
  std::string role =
      (role_it != p.claims.end() && role_it->is_string()) ? role_it->get<std::string>() : "anon";
  if (role == "anon") {
    p.role = storage::Role::kAnon;
  } else if (role == "authenticated") {
    p.role = storage::Role::kAuthenticated;
  } else if (role == "service_role") {
    p.role = storage::Role::kServiceRole;
  } else {
    out.unknown_role = true;
    out.role_claim = role;
    out.message = "role \"" + role + "\" does not exist";
    return out;
  }
  auto sub = p.claims.find("sub");
  if (sub != p.claims.end() && sub->is_string()) p.user_id = sub->get<std::string>();
  RememberVerifiedToken(token, secret, p);
  out.principal = std::move(p);
  return out;
}

// Both project keys name their role; a token without one is not a key of ours.
ApiKeyCheck KeyCheckOf(const storage::Principal& key) {
  if (key.role == storage::Role::kAuthenticated || !key.claims.contains("role")) {
    return ApiKeyCheck::kInvalid;
  }
  return ApiKeyCheck::kValid;
}

}  // namespace

ApiKeyCheck CheckApiKey(std::optional<std::string_view> apikey, std::string_view secret,
                        int64_t now) {
  const std::optional<std::string_view> token = RequestToken(std::nullopt, apikey);
  if (!token) return ApiKeyCheck::kMissing;
  // Through the token cache, so a key sent with every request costs no second HMAC; a hit is
  // judged where it is cached, without copying its claims.
  if (auto hit = FindVerifiedToken(*token, secret, now)) return KeyCheckOf(hit->principal);
  const AuthOutcome key = VerifyToken(*token, secret, now);
  return key.principal ? KeyCheckOf(*key.principal) : ApiKeyCheck::kInvalid;
}

AuthOutcome Resolve(std::optional<std::string_view> authorization,
                    std::optional<std::string_view> apikey, std::string_view secret, int64_t now) {
  const std::optional<std::string_view> token = RequestToken(authorization, apikey);
  if (!token) {
    AuthOutcome out;
    out.missing_key = true;
    out.message = "No API key found in request";
    return out;
  }
  if (auto hit = FindVerifiedToken(*token, secret, now)) {
    AuthOutcome out;
    out.principal = hit->principal;
    return out;
  }
  return VerifyToken(*token, secret, now);
}

storage::Principal AuthenticateRest(std::optional<std::string_view> authorization,
                                    std::optional<std::string_view> apikey, std::string_view secret,
                                    int64_t now) {
  // Supabase's gateway admits a request only with one of the project's keys in `apikey`;
  // the bearer then decides the role. With neither header, PostgREST's own answer below.
  const bool has_bearer =
      authorization && !storage::Trim(*authorization, storage::kHttpSpace).empty();
  const ApiKeyCheck key = CheckApiKey(apikey, secret, now);
  if (key == ApiKeyCheck::kInvalid || (key == ApiKeyCheck::kMissing && has_bearer)) {
    throw errors::InvalidApiKey(/*missing=*/key == ApiKeyCheck::kMissing);
  }
  AuthOutcome out = Resolve(authorization, apikey, secret, now);
  if (out.principal) return std::move(*out.principal);
  if (out.missing_key) throw storage::Error::MissingApiKey(out.message);
  if (out.unknown_role) throw storage::Error::UnknownRole(out.role_claim);
  if (out.jwt_failure == JwtFailure::kExpired) throw storage::Error::JwtExpired();
  throw storage::Error::JwtInvalid(out.message);
}

}  // namespace ib::auth
