// Turns the `apikey` and `Authorization` headers into a Principal, as Supabase's gateway and
// PostgREST do: a valid bearer JWT gives its `role` claim (none -> anon); without an
// Authorization header the apikey is the bearer. Errors are REST-shaped (PGRST301/303, 22023);
// other services map the AuthFailure themselves. Pure: the caller passes secret and time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth/jwt.h"
#include "storage/principal.h"

namespace ib::auth {

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
                    std::optional<std::string_view> apikey, std::string_view secret,
                    int64_t now);

// REST flavour: returns the principal or throws storage::Error: 401 invalid_api_key /
// no_api_key unless `apikey` holds one of our anon or service_role keys (when a bearer is
// sent), then 401 PGRST301 / PGRST303 / 22023 for a bad bearer, or 401 for no key at all.
storage::Principal AuthenticateRest(std::optional<std::string_view> authorization,
                                    std::optional<std::string_view> apikey,
                                    std::string_view secret, int64_t now);

}  // namespace ib::auth
