// Auth users and their identities in the database. Every write goes through storage::RowWriter,
// so the auth_users hooks fire (a new user gets its profile, hooks/new_user.cpp) and deletes
// cascade through the schema's foreign keys. Runs inside the caller's transaction on the
// caller's connection; never opens or commits one. Not thread-safe (one request at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/auth/users.h"
#include "storage/row_writer.h"

namespace ib::auth {

std::optional<UserRecord> FindUserById(storage::RowWriter& w, std::string_view id);
// Case-insensitive (auth_users.email is COLLATE NOCASE).
std::optional<UserRecord> FindUserByEmail(storage::RowWriter& w, std::string_view email);
std::vector<IdentityRecord> IdentitiesOf(storage::RowWriter& w, std::string_view user_id);
// UserJson with the user's identities loaded.
nlohmann::json LoadUserJson(storage::RowWriter& w, const UserRecord& user);

struct NewUser {
  std::string email;          // normalised, required (the profile is keyed by it)
  std::string password_hash;  // "" = no password
  nlohmann::json user_metadata = nlohmann::json::object();
  nlohmann::json app_metadata = nlohmann::json::object();  // merged over the email provider's
  std::string role = "authenticated";
  bool confirmed = false;  // email_confirmed_at := now
  bool signed_in = false;  // last_sign_in_at := now (autoconfirmed signup returns a session)
};

// Inserts the user and its email identity; the new-user hook inserts the profile. The caller
// has checked that the email is free.
UserRecord InsertUser(storage::RowWriter& w, const NewUser& user);
// Writes `changes` (storage forms) and stamps updated_at; returns the row as stored.
UserRecord UpdateUserRow(storage::RowWriter& w, const UserRecord& user,
                         storage::hooks::RowData changes);
// Stamps last_sign_in_at on the user and its identities.
UserRecord RecordSignIn(storage::RowWriter& w, const UserRecord& user);
// Deletes the user; profiles, sessions, tokens and every owned row go by ON DELETE CASCADE.
void DeleteUserRow(storage::RowWriter& w, const UserRecord& user);

struct UserPage {
  std::vector<UserRecord> users;  // newest first
  int64_t total = 0;
};
UserPage ListUsers(storage::RowWriter& w, int64_t page, int64_t per_page);

// Stored ids are lowercase; clients may send any case.
std::string LowerUuid(std::string_view id);

// rowids returned by a fixed query of the auth stores (values bound as parameters).
std::vector<int64_t> SelectRowids(storage::RowWriter& w, const char* sql,
                                  std::vector<storage::SqlValue> params);

}  // namespace ib::auth
