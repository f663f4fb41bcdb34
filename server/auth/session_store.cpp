#include "server/auth/session_store.h"

#include "server/auth/user_store.h"
#include "storage/values.h"

namespace ib::auth {
namespace {

using storage::RowWriter;
using storage::hooks::IntOf;
using storage::hooks::IsNull;
using storage::hooks::RowData;
using storage::hooks::TextOf;

std::optional<SessionRecord> ReadSession(RowWriter& w, std::optional<int64_t> rowid) {
  if (!rowid) return std::nullopt;
  auto row = w.Read("auth_sessions", *rowid);
  if (!row) return std::nullopt;
  SessionRecord s;
  s.rowid = *rowid;
  s.id = TextOf(*row, "id");
  s.user_id = TextOf(*row, "user_id");
  s.created_at = TextOf(*row, "created_at");
  if (!IsNull(*row, "not_after")) s.not_after = TextOf(*row, "not_after");
  return s;
}

std::optional<RefreshTokenRecord> ReadToken(RowWriter& w, std::optional<int64_t> rowid) {
  if (!rowid) return std::nullopt;
  auto row = w.Read("auth_refresh_tokens", *rowid);
  if (!row) return std::nullopt;
  RefreshTokenRecord t;
  t.rowid = *rowid;
  t.session_id = TextOf(*row, "session_id");
  t.user_id = TextOf(*row, "user_id");
  t.sealed_by_parent = TextOf(*row, "sealed_by_parent");
  t.state.hash = TextOf(*row, "token_hash");
  t.state.parent_hash = TextOf(*row, "parent_hash");
  t.state.revoked = IntOf(*row, "revoked") != 0;
  // A revoked token is never written again except to stay revoked, so updated_at is the
  // moment of its revocation.
  if (t.state.revoked) {
    t.state.revoked_at_micros = storage::ParseCanonicalTimestamptz(TextOf(*row, "updated_at"));
  }
  return t;
}

}  // namespace

SessionRecord CreateSession(RowWriter& w, std::string_view user_id) {
  const std::string now = storage::FormatTimestamptz(w.now_micros());
  int64_t rowid = w.Insert("auth_sessions", {{"id", NewUuid()},
                                             {"user_id", std::string(user_id)},
                                             {"created_at", now},
                                             {"updated_at", now}});
  return *ReadSession(w, rowid);
}

std::optional<SessionRecord> FindSession(RowWriter& w, std::string_view id) {
  if (!IsUuid(id)) return std::nullopt;
  return ReadSession(w, w.FindRowid("auth_sessions", "id", LowerUuid(id)));
}

void TouchSession(RowWriter& w, const SessionRecord& session) {
  w.Update("auth_sessions", session.rowid,
           {{"updated_at", storage::FormatTimestamptz(w.now_micros())}});
}

std::string IssueRefreshToken(RowWriter& w, const SessionRecord& session,
                              std::optional<std::string_view> parent) {
  const std::string token = NewRefreshToken();
  const std::string now = storage::FormatTimestamptz(w.now_micros());
  RowData row = {{"token_hash", HashRefreshToken(token)},
                 {"session_id", session.id},
                 {"user_id", session.user_id},
                 {"revoked", int64_t{0}},
                 {"created_at", now},
                 {"updated_at", now}};
  if (parent) {
    row["parent_hash"] = HashRefreshToken(*parent);
    row["sealed_by_parent"] = SealForChild(*parent, token);
  }
  w.Insert("auth_refresh_tokens", std::move(row));
  return token;
}

std::optional<RefreshTokenRecord> FindRefreshToken(RowWriter& w, std::string_view token) {
  if (token.empty()) return std::nullopt;
  return ReadToken(w, w.FindRowid("auth_refresh_tokens", "token_hash", HashRefreshToken(token)));
}

std::optional<RefreshTokenRecord> ActiveRefreshToken(RowWriter& w, std::string_view session_id) {
  auto rowids = SelectRowids(w,
                             "SELECT rowid FROM auth_refresh_tokens WHERE session_id = ? AND "
                             "revoked = 0 ORDER BY id DESC LIMIT 1",
                             {std::string(session_id)});
  if (rowids.empty()) return std::nullopt;
  return ReadToken(w, rowids.front());
}

void RevokeRefreshToken(RowWriter& w, const RefreshTokenRecord& token) {
  if (token.state.revoked) return;  // keep the first revocation time (the reuse window)
  w.Update("auth_refresh_tokens", token.rowid,
           {{"revoked", int64_t{1}}, {"updated_at", storage::FormatTimestamptz(w.now_micros())}});
}

void RevokeSessionTokens(RowWriter& w, std::string_view session_id) {
  for (int64_t rowid :
       SelectRowids(w, "SELECT rowid FROM auth_refresh_tokens WHERE session_id = ? AND revoked = 0",
                    {std::string(session_id)})) {
    w.Update("auth_refresh_tokens", rowid,
             {{"revoked", int64_t{1}}, {"updated_at", storage::FormatTimestamptz(w.now_micros())}});
  }
}

void EndSessions(RowWriter& w, std::string_view user_id, std::optional<std::string_view> session_id,
                 LogoutScope scope) {
  for (int64_t rowid : SelectRowids(w, "SELECT rowid FROM auth_sessions WHERE user_id = ?",
                                    {std::string(user_id)})) {
    auto session = ReadSession(w, rowid);
    if (!session) continue;
    const bool current = session_id && session->id == *session_id;
    const bool end = scope == LogoutScope::kGlobal || (scope == LogoutScope::kLocal && current) ||
                     (scope == LogoutScope::kOthers && !current);
    if (end) w.Delete("auth_sessions", rowid);
  }
}

}  // namespace ib::auth
