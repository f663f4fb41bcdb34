// GoTrue sessions and their refresh tokens in the database (auth_sessions,
// auth_refresh_tokens). Tokens are stored as SHA-256 only, plus the child's copy sealed under
// its parent (tokens.h). Writes go through storage::RowWriter; deleting a session cascades to
// its tokens. Runs inside the caller's transaction; not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth/tokens.h"
#include "storage/row_writer.h"

namespace ib::auth {

struct SessionRecord {
  int64_t rowid = 0;
  std::string id;
  std::string user_id;
  std::string created_at;  // storage form; the sign-in time (amr timestamp)
  std::optional<std::string> not_after;
};

struct RefreshTokenRecord {
  int64_t rowid = 0;
  std::string session_id;
  std::string user_id;
  std::string sealed_by_parent;  // "" when none
  RefreshTokenState state;
};

SessionRecord CreateSession(storage::RowWriter& w, std::string_view user_id);
std::optional<SessionRecord> FindSession(storage::RowWriter& w, std::string_view id);
void TouchSession(storage::RowWriter& w, const SessionRecord& session);

// Issues a token in `session`; when rotating, `parent` is the presented token (plaintext),
// recorded as the child's parent and used to seal the child. Returns the new token.
std::string IssueRefreshToken(storage::RowWriter& w, const SessionRecord& session,
                              std::optional<std::string_view> parent);
std::optional<RefreshTokenRecord> FindRefreshToken(storage::RowWriter& w, std::string_view token);
// The newest unrevoked token of the session, if any.
std::optional<RefreshTokenRecord> ActiveRefreshToken(storage::RowWriter& w,
                                                     std::string_view session_id);
void RevokeRefreshToken(storage::RowWriter& w, const RefreshTokenRecord& token);
// Revokes every unrevoked token of the session (reuse detected).
void RevokeSessionTokens(storage::RowWriter& w, std::string_view session_id);

enum class LogoutScope { kGlobal, kLocal, kOthers };
// global: every session of the user; local: `session_id` only; others: all but `session_id`.
// Deleting a session deletes its refresh tokens (ON DELETE CASCADE).
void EndSessions(storage::RowWriter& w, std::string_view user_id,
                 std::optional<std::string_view> session_id, LogoutScope scope);

}  // namespace ib::auth
