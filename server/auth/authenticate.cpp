#include "server/auth/authenticate.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "server/auth/auth_errors.h"
#include "server/auth/keyed_digest.h"
#include "storage/error.h"
#include "storage/text.h"

namespace ib::auth {
namespace {

// Verified tokens, per thread. A token's principal is a pure function of its bytes and the
// secret, so a hit skips base64, HMAC and JSON parsing; only `exp` must be checked again.
// Thread-local: no lock on the hot path. Keyed by a digest of (secret, token), so neither is
// kept; bounded by an estimate of its bytes and emptied when full (docs/limits.md).
struct CachedPrincipal {
  std::optional<int64_t> exp;
  storage::Principal principal;
  size_t cost = 0;  // estimated bytes held by this entry
};
struct TokenCacheState {
  std::unordered_map<Digest, CachedPrincipal, DigestHash> entries;
  size_t bytes = 0;  // sum of the entries' costs
};

TokenCacheState& TokenCache() {
  thread_local TokenCacheState cache;
  return cache;
}

// The claims' parsed tree costs a few times their text, which is 3/4 of the token's length;
// the map node and principal add a fixed part.
size_t EntryCost(std::string_view token) { return 4 * token.size() + 256; }

const storage::Principal* CachedLookup(std::string_view token, std::string_view secret,
                                       int64_t now) {
  auto& cache = TokenCache();
  auto it = cache.entries.find(KeyedDigest({secret, token}));
  if (it == cache.entries.end()) return nullptr;
  if (it->second.exp && *it->second.exp <= now) {
    cache.bytes -= it->second.cost;
    cache.entries.erase(it);  // expired: verify again so the caller gets the proper refusal
    return nullptr;
  }
  return &it->second.principal;
}

// A numeric `exp` claim as whole seconds, saturated to int64: a signed token may carry any JSON
// number (1e300, 2^64), and converting an out-of-range double is undefined behaviour. Rounds
// down, so `exp <= now` answers as VerifyHs256 does for fractional values.
int64_t ExpSeconds(const nlohmann::json& exp) {
  constexpr auto kMax = std::numeric_limits<int64_t>::max();
  if (exp.is_number_unsigned()) {
    return exp.get<uint64_t>() > static_cast<uint64_t>(kMax) ? kMax : exp.get<int64_t>();
  }
  if (exp.is_number_integer()) return exp.get<int64_t>();
  const double d = std::floor(exp.get<double>());
  if (d >= 0x1p63) return kMax;
  if (d < -0x1p63) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

void Remember(std::string_view token, std::string_view secret, const storage::Principal& p) {
  const size_t cost = EntryCost(token);
  if (cost > kTokenCacheBytes) return;
  auto& cache = TokenCache();
  if (cache.bytes + cost > kTokenCacheBytes) {
    cache.entries.clear();
    cache.bytes = 0;
  }
  std::optional<int64_t> exp;
  auto it = p.claims.find("exp");
  if (it != p.claims.end() && it->is_number()) exp = ExpSeconds(*it);
  const bool inserted =
      cache.entries.insert_or_assign(KeyedDigest({secret, token}), CachedPrincipal{exp, p, cost})
          .second;
  if (inserted) cache.bytes += cost;  // a replaced entry was the same token: same cost
}

}  // namespace

size_t TEST_TokenCacheBytes() { return TokenCache().bytes; }
size_t TEST_TokenCacheEntries() { return TokenCache().entries.size(); }

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
  Remember(token, secret, p);
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
  if (const storage::Principal* hit = CachedLookup(*token, secret, now)) return KeyCheckOf(*hit);
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
  if (const storage::Principal* hit = CachedLookup(*token, secret, now)) {
    AuthOutcome out;
    out.principal = *hit;
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
