// The tokens a session hands out: the HS256 access token's claims (GoTrue's) and the
// refresh-token rules (docs/wire.md): random opaque tokens stored only as SHA-256, the
// rotation/reuse decision, and the sealed copy that lets the parent's holder get the active
// token back. Pure functions (the caller passes the clock); thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth/users.h"
#include "storage/auth/auth_records.h"

namespace ib::auth {

struct AccessToken {
  std::string token;
  int64_t issued_at = 0;   // unix seconds
  int64_t expires_at = 0;  // issued_at + expiry
};

// Claims of a user's access token: sub, role, aud, iss, iat, exp, session_id, email, phone,
// app/user metadata copies, aal1 and amr [{password, signed_in_at}], is_anonymous false.
nlohmann::json AccessTokenClaims(const UserRecord& user, std::string_view session_id,
                                 int64_t signed_in_at, int64_t now_seconds, int64_t expiry_seconds,
                                 std::string_view issuer);
AccessToken IssueAccessToken(const nlohmann::json& claims, std::string_view secret);

// The session JSON supabase-js reads, around an access token, refresh token and user JSON.
nlohmann::json SessionJson(const AccessToken& access, std::string_view refresh_token,
                           nlohmann::json user);

// A fresh opaque refresh token (random, base64url) and its stored form.
std::string NewRefreshToken();
std::string HashRefreshToken(std::string_view token);

using storage::auth::RefreshTokenState;

enum class RefreshDecision {
  kRotate,        // valid (or reused within the interval): revoke it and issue a child
  kReturnActive,  // revoked parent of the active token: hand the active token back
  kAlreadyUsed,   // reused too late: refuse and revoke the whole session
};

// GoTrue's rule (token_refresh.go), bounded by the interval: an unrevoked token rotates; a
// revoked one within `reuse_interval_seconds` of its revocation returns the session's active
// token when it is that token's parent (lost response), else rotates again (concurrent use);
// a revoked one past the interval is reuse.
RefreshDecision DecideRefresh(const RefreshTokenState& presented,
                              const std::optional<RefreshTokenState>& active, int64_t now_micros,
                              int64_t reuse_interval_seconds);

// `child` encrypted (XSalsa20-Poly1305) under a key derived from `parent`, hex-encoded; only a
// holder of `parent` can open it. Unseal returns nullopt for a wrong parent or bad input.
std::string SealForChild(std::string_view parent, std::string_view child);
std::optional<std::string> UnsealWithParent(std::string_view parent, std::string_view sealed);

}  // namespace ib::auth
