#include "server/auth/authenticate.h"

#include <cctype>
#include <string>
#include <unordered_map>

#include "server/auth/auth_errors.h"
#include "storage/error.h"
#include "storage/text.h"

namespace ib::auth {
namespace {

// "Bearer xxx" (scheme case-insensitive, as RFC 7235 says) -> "xxx"; otherwise the raw value.
std::string_view BearerToken(std::string_view header) {
  header = storage::Trim(header, storage::kHttpSpace);
  if (header.size() >= 7) {
    std::string scheme(header.substr(0, 7));
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme == "bearer ") return storage::Trim(header.substr(7), storage::kHttpSpace);
  }
  return header;
}

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
    exp = it->is_number_integer() ? it->get<int64_t>()
                                  : static_cast<int64_t>(it->get<double>());
  }
  cache[std::string(token)] = CachedPrincipal{std::string(secret), exp, p};
}

}  // namespace

AuthOutcome Resolve(std::optional<std::string_view> authorization,
                    std::optional<std::string_view> apikey, std::string_view secret,
                    int64_t now) {
  AuthOutcome out;
  std::optional<std::string_view> token;
  if (authorization && !storage::Trim(*authorization, storage::kHttpSpace).empty()) {
    token = BearerToken(*authorization);
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
  std::string role = (role_it != p.claims.end() && role_it->is_string())
                         ? role_it->get<std::string>()
                         : "anon";
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
                                    std::optional<std::string_view> apikey,
                                    std::string_view secret, int64_t now) {
  // Supabase's gateway admits a request only with one of the project's keys in `apikey`
  // (anon or service_role); the bearer then decides the role. Checked through the same
  // token cache, so the key costs no second HMAC.
  bool has_bearer =
      authorization && !storage::Trim(*authorization, storage::kHttpSpace).empty();
  bool has_key = apikey && !storage::Trim(*apikey, storage::kHttpSpace).empty();
  if (has_bearer && !has_key) throw errors::InvalidApiKey(/*missing=*/true);
  if (has_key) {
    AuthOutcome key = Resolve(std::nullopt, apikey, secret, now);
    if (!key.principal || key.principal->role == storage::Role::kAuthenticated) {
      throw errors::InvalidApiKey(/*missing=*/false);
    }
  }
  AuthOutcome out = Resolve(authorization, apikey, secret, now);
  if (out.principal) return std::move(*out.principal);
  if (out.missing_key) {
    throw storage::Error(401, "PGRST301", out.message, std::nullopt,
                         std::string("No `apikey` request header or url param was found."));
  }
  if (out.unknown_role) throw storage::Error::UnknownRole(out.role_claim);
  if (out.jwt_failure == JwtFailure::kExpired) throw storage::Error::JwtExpired();
  throw storage::Error::JwtInvalid(out.message);
}

}  // namespace ib::auth
