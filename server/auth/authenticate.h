// The one credential gate of every service (/rest/v1, /auth/v1, /storage/v1): how the
// `Authorization` bearer is read, whether `apikey` is one of our keys (Supabase's gateway), and
// which Principal a token gives, as PostgREST reads it (its `role` claim, none -> anon; without
// Authorization the apikey is the bearer). Each service only maps the outcome to its own error
// shape. Pure apart from the process's cache of verified tokens (token_cache.h); the caller
// passes secret and time; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth/jwt.h"
#include "storage/principal.h"

namespace ib::auth {

// "Bearer <token>" (scheme case-insensitive, as RFC 7235 says; OWS trimmed) -> the token;
// nullopt when the header is absent or blank, names another scheme, or carries no token.
std::optional<std::string_view> BearerToken(std::optional<std::string_view> authorization);

enum class ApiKeyCheck { kValid, kMissing, kInvalid };
// The gateway's check: `apikey` (header or ?apikey=) must be one of the project's keys, a
// live token of ours whose role claim is anon or service_role. kMissing when absent or blank.
ApiKeyCheck CheckApiKey(std::optional<std::string_view> apikey, std::string_view secret,
                        int64_t now);

struct AuthOutcome {
  std::optional<storage::Principal> principal;  // set on success
  std::optional<JwtFailure> jwt_failure;        // set when the token failed verification
  bool unknown_role = false;                    // token valid but role not one of ours
  bool missing_key = false;                     // neither apikey nor Authorization sent
  std::string message;                          // reason, for error bodies
  std::string role_claim;                       // the refused role, when unknown_role
};

// Never throws. `authorization` is the raw header ("Bearer xxx"), `apikey` the raw header.
AuthOutcome Resolve(std::optional<std::string_view> authorization,
                    std::optional<std::string_view> apikey, std::string_view secret, int64_t now);

// REST flavour: returns the principal or throws storage::Error: 401 invalid_api_key /
// no_api_key unless `apikey` holds one of our anon or service_role keys (when a bearer is
// sent), then 401 PGRST301 / PGRST303 / 22023 for a bad bearer, or 401 for no key at all.
storage::Principal AuthenticateRest(std::optional<std::string_view> authorization,
                                    std::optional<std::string_view> apikey, std::string_view secret,
                                    int64_t now);

}  // namespace ib::auth
