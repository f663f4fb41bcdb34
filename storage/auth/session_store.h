// GoTrue sessions and their refresh tokens (auth_sessions, auth_refresh_tokens). Tokens are
// stored by hash only: the caller hashes and seals (server/auth/tokens.h), this store keeps
// what it is given. Reads take the transaction's connection; writes go through RowWriter, and
// deleting a session cascades to its tokens. Never opens a transaction; not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "storage/auth/auth_records.h"

namespace ib::storage {
class Connection;
class RowWriter;
}  // namespace ib::storage

namespace ib::storage::auth {

// A new session of the user (fresh gen_random_uuid() id), created now.
SessionRecord CreateSession(RowWriter& w, std::string_view user_id);
// By id in any case; nullopt for an unknown or malformed id.
std::optional<SessionRecord> FindSession(Connection& conn, std::string_view id);
// Stamps updated_at (the session was used).
void TouchSession(RowWriter& w, const SessionRecord& session);

struct NewRefreshToken {
  std::string hash;
  std::optional<std::string> parent_hash;       // set when rotating
  std::optional<std::string> sealed_by_parent;  // the token sealed under its parent
};
void InsertRefreshToken(RowWriter& w, const SessionRecord& session, const NewRefreshToken& token);
std::optional<RefreshTokenRecord> FindRefreshTokenByHash(Connection& conn, std::string_view hash);
// The newest unrevoked token of the session, if any.
std::optional<RefreshTokenRecord> ActiveRefreshToken(Connection& conn, std::string_view session_id);
// Marks it revoked now; an already revoked token keeps its first revocation time.
void RevokeRefreshToken(RowWriter& w, const RefreshTokenRecord& token);

enum class LogoutScope { kGlobal, kLocal, kOthers };
// global: every session of the user; local: `session_id` only; others: all but `session_id`.
// Deleting a session deletes its refresh tokens (ON DELETE CASCADE).
void EndSessions(RowWriter& w, std::string_view user_id, std::optional<std::string_view> session_id,
                 LogoutScope scope);

}  // namespace ib::storage::auth
