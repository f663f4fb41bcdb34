#include "server/auth/authenticate.h"

#include <cctype>
#include <string>
#include <unordered_map>

#include "server/auth/auth_errors.h"
#include "storage/error.h"
#include "storage/text.h"

namespace ib::auth {
namespace {

// Verified tokens, per thread. A token's principal is a pure function of its bytes and the
// secret, so a hit skips base64, HMAC and JSON parsing; only `exp` must be checked again.
// Thread-local: no lock on the hot path. Bounded: emptied when full.
struct CachedPrincipal {
  std::string secret;
  std::optional<int64_t> exp;
  storage::Principal principal;
};
constexpr size_t kMaxCachedTokens = 4096;

std::unordered_map<std::string, CachedPrincipal>& TokenCache() {
  thread_local std::unordered_map<std::string, CachedPrincipal> cache;
  return cache;
}

const storage::Principal* CachedLookup(std::string_view token, std::string_view secret,
                                       int64_t now) {
  auto& cache = TokenCache();
  auto it = cache.find(std::string(token));
  if (it == cache.end() || it->second.secret != secret) return nullptr;
  if (it->second.exp && *it->second.exp <= now) {
    cache.erase(it);  // expired: verify again so the caller gets the proper refusal
    return nullptr;
  }
  return &it->second.principal;
}

void Remember(std::string_view token, std::string_view secret, const storage::Principal& p) {
  auto& cache = TokenCache();
  if (cache.size() >= kMaxCachedTokens) cache.clear();
  std::optional<int64_t> exp;
  auto it = p.claims.find("exp");
  if (it != p.claims.end() && it->is_number()) {
    exp = it->is_number_integer() ? it->get<int64_t>() : static_cast<int64_t>(it->get<double>());
  }
  cache[std::string(token)] = CachedPrincipal{std::string(secret), exp, p};
}

}  // namespace

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

ApiKeyCheck CheckApiKey(std::optional<std::string_view> apikey, std::string_view secret,
                        int64_t now) {
  // Through the token cache, so a key sent with every request costs no second HMAC.
  AuthOutcome key = Resolve(std::nullopt, apikey, secret, now);
  if (key.missing_key) return ApiKeyCheck::kMissing;
  // Both project keys name their role; a token without one is not a key of ours.
  if (!key.principal || key.principal->role == storage::Role::kAuthenticated ||
      !key.principal->claims.contains("role")) {
    return ApiKeyCheck::kInvalid;
  }
  return ApiKeyCheck::kValid;
}

AuthOutcome Resolve(std::optional<std::string_view> authorization,
                    std::optional<std::string_view> apikey, std::string_view secret, int64_t now) {
  AuthOutcome out;
  std::optional<std::string_view> token;
  if (authorization && !storage::Trim(*authorization, storage::kHttpSpace).empty()) {
    // PostgREST reads a header of another scheme as the token itself, so it fails as a JWT
    // instead of passing as anon.
    token = BearerToken(authorization).value_or(storage::Trim(*authorization, storage::kHttpSpace));
  } else if (apikey && !storage::Trim(*apikey, storage::kHttpSpace).empty()) {
    // Supabase: the apikey alone counts as the bearer.
    token = storage::Trim(*apikey, storage::kHttpSpace);
  }
  if (!token) {
    out.missing_key = true;
    out.message = "No API key found in request";
    return out;
  }
  if (const storage::Principal* hit = CachedLookup(*token, secret, now)) {
    out.principal = *hit;
    return out;
  }
  JwtResult jwt = VerifyHs256(*token, secret, now);
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
  Remember(*token, secret, p);
  out.principal = std::move(p);
  return out;
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
