// Who may call /auth/v1, in GoTrue's terms (docs/wire.md): the gateway's apikey check, the
// bearer token of /user and /logout, and the admin guard, read through the one credential gate
// (authenticate.h). Throws the GoTrue-shaped storage::Error (401 no_authorization, 403 bad_jwt /
// not_admin, 401 for a bad apikey). Pure: the caller passes headers, secret and clock;
// thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ib::auth {

// The caller of /user and /logout: the verified token's `sub` and `session_id`.
struct UserClaims {
  std::string user_id;
  std::optional<std::string> session_id;  // unset when the token carries none
};

// The apikey (header, or ?apikey=) must be a live HS256 JWT of ours with role anon or
// service_role; missing or anything else -> 401.
void RequireApiKey(std::optional<std::string_view> apikey, std::string_view secret,
                   int64_t now_seconds);

// Claims of the bearer token. No bearer -> 401 no_authorization; bad signature, wrong alg,
// malformed or expired -> 403 bad_jwt.
nlohmann::json RequireBearer(std::optional<std::string_view> authorization, std::string_view secret,
                             int64_t now_seconds);

// A user's token: `sub` required (403 bad_jwt), a UUID (400 bad_jwt), as GoTrue checks.
UserClaims RequireUserToken(std::optional<std::string_view> authorization, std::string_view secret,
                            int64_t now_seconds);

// The admin API admits role service_role (and supabase_admin, as GoTrue) only: 403 not_admin.
void RequireAdmin(std::optional<std::string_view> authorization, std::string_view secret,
                  int64_t now_seconds);

}  // namespace ib::auth
