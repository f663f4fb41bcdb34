// The rows of GoTrue's auth schema as the server uses them: a user, its identities, a session
// and a refresh token, decoded from their stored forms (timestamps stay in storage form,
// "...+00:00"; metadata is parsed JSON). Plain values: no database, no HTTP; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ib::storage::auth {

struct UserRecord {
  int64_t rowid = 0;
  std::string id;
  std::string email;               // "" when none
  std::string phone;               // "" when none
  std::string encrypted_password;  // "" when none (cannot sign in with a password)
  std::string role = "authenticated";
  nlohmann::json user_metadata = nlohmann::json::object();
  nlohmann::json app_metadata = nlohmann::json::object();
  // Unset = NULL.
  std::optional<std::string> email_confirmed_at;
  std::optional<std::string> last_sign_in_at;
  std::optional<std::string> banned_until;
  std::string created_at;
  std::string updated_at;

  bool confirmed() const { return email_confirmed_at.has_value(); }
};

struct IdentityRecord {
  std::string id;  // identity_id
  std::string user_id;
  std::string provider;
  std::string provider_id;
  std::optional<std::string> last_sign_in_at;
  std::string created_at;
  std::string updated_at;
};

struct SessionRecord {
  int64_t rowid = 0;
  std::string id;
  std::string user_id;
  std::string created_at;  // the sign-in time (the access token's amr timestamp)
  std::optional<std::string> not_after;
};

// What a stored refresh token says about itself, for the rotation decision.
struct RefreshTokenState {
  std::string hash;
  std::string parent_hash;  // "" for the first token of a session
  bool revoked = false;
  int64_t revoked_at_micros = 0;  // when it was revoked (its updated_at)
};

struct RefreshTokenRecord {
  int64_t rowid = 0;
  std::string session_id;
  std::string user_id;
  std::string sealed_by_parent;  // "" when none
  RefreshTokenState state;
};

}  // namespace ib::storage::auth
