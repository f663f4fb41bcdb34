// Auth users and their identities (auth_users, auth_identities). Reads take the connection of
// the caller's read or write transaction; writes go through storage::RowWriter, so the
// auth_users hooks fire (a new user gets its profile) and deletes cascade through the schema's
// foreign keys. Never opens or commits a transaction; knows no HTTP. Not thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/auth/auth_records.h"
#include "storage/hooks/hook.h"

namespace ib::storage {
class Connection;
class RowWriter;
}  // namespace ib::storage

namespace ib::storage::auth {

// By id in any case (stored ids are lowercase); nullopt for an unknown or malformed id.
std::optional<UserRecord> FindUserById(Connection& conn, std::string_view id);
// Case-insensitive (auth_users.email is COLLATE NOCASE); nullopt for "".
std::optional<UserRecord> FindUserByEmail(Connection& conn, std::string_view email);
// Oldest first.
std::vector<IdentityRecord> IdentitiesOf(Connection& conn, std::string_view user_id);

struct UserPage {
  std::vector<UserRecord> users;  // newest first
  int64_t total = 0;              // every user, not just this page
};
// Page `page` (from 1) of `per_page` users. A non-empty `filter` keeps (and counts) only the
// users whose email or user_metadata.full_name contains it, ignoring ASCII case (GoTrue's
// `filter`); it is matched literally ('%' and '_' are no wildcards).
UserPage ListUsers(Connection& conn, int64_t page, int64_t per_page, std::string_view filter = "");

struct NewUser {
  std::string email;          // normalised, required (the profile is keyed by it)
  std::string password_hash;  // "" = no password
  nlohmann::json user_metadata = nlohmann::json::object();
  // Stored as given; starts as the email provider's, callers merge their keys over it.
  nlohmann::json app_metadata = {{"provider", "email"}, {"providers", {"email"}}};
  std::string role = "authenticated";
  bool confirmed = false;  // email_confirmed_at := now
  bool signed_in = false;  // last_sign_in_at := now (autoconfirmed signup returns a session)
};

// Inserts the user (with a fresh gen_random_uuid() id) and its email identity; the new-user
// hook inserts the profile. The caller has checked that the email is free.
UserRecord InsertUser(RowWriter& w, const NewUser& user);
// Writes `changes` (storage forms) and stamps updated_at; returns the row as stored.
UserRecord UpdateUserRow(RowWriter& w, const UserRecord& user, hooks::RowData changes);
// Stamps last_sign_in_at on the user and its identities.
UserRecord RecordSignIn(RowWriter& w, const UserRecord& user);
// Deletes the user; profiles, sessions, tokens and every owned row go by ON DELETE CASCADE.
void DeleteUserRow(RowWriter& w, const UserRecord& user);

}  // namespace ib::storage::auth
