#include "storage/auth/session_store.h"

#include "storage/auth/store_internal.h"
#include "storage/executor.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::storage::auth {
namespace {

constexpr std::string_view kSelectSession =
    "SELECT rowid, id, user_id, created_at, not_after FROM auth_sessions ";

std::optional<SessionRecord> OneSession(Connection& conn, std::string_view where, SqlValue param) {
  std::optional<SessionRecord> out;
  Executor(conn).Run({std::string(kSelectSession).append(where), {std::move(param)}, ""},
                     [&](const Row& r) {
                       out = SessionRecord{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.OptText(4)};
                     });
  return out;
}

constexpr std::string_view kSelectToken =
    "SELECT rowid, session_id, user_id, sealed_by_parent, token_hash, parent_hash, revoked, "
    "updated_at FROM auth_refresh_tokens ";

std::optional<RefreshTokenRecord> OneToken(Connection& conn, std::string_view where,
                                           SqlValue param) {
  std::optional<RefreshTokenRecord> out;
  Executor(conn).Run({std::string(kSelectToken).append(where), {std::move(param)}, ""},
                     [&](const Row& r) {
                       RefreshTokenRecord t;
                       t.rowid = r.Int(0);
                       t.session_id = r.Text(1);
                       t.user_id = r.Text(2);
                       t.sealed_by_parent = r.Text(3);
                       t.state.hash = r.Text(4);
                       t.state.parent_hash = r.Text(5);
                       t.state.revoked = r.Int(6) != 0;
                       // A revoked token is never written again except to stay revoked, so
                       // updated_at is the moment of its revocation.
                       if (t.state.revoked) {
                         t.state.revoked_at_micros = ParseCanonicalTimestamptz(r.Text(7));
                       }
                       out = std::move(t);
                     });
  return out;
}

void MarkRevoked(RowWriter& w, int64_t rowid) {
  w.Update("auth_refresh_tokens", rowid,
           {{"revoked", int64_t{1}}, {"updated_at", FormatTimestamptz(w.now_micros())}});
}

}  // namespace

SessionRecord CreateSession(RowWriter& w, std::string_view user_id) {
  const std::string now = FormatTimestamptz(w.now_micros());
  const int64_t rowid = w.Insert("auth_sessions", {{"id", internal::NewUuid(w.conn())},
                                                   {"user_id", std::string(user_id)},
                                                   {"created_at", now},
                                                   {"updated_at", now}});
  return *OneSession(w.conn(), "WHERE rowid = ?", rowid);
}

std::optional<SessionRecord> FindSession(Connection& conn, std::string_view id) {
  return OneSession(conn, "WHERE id = ?", internal::LowerId(id));
}

void TouchSession(RowWriter& w, const SessionRecord& session) {
  w.Update("auth_sessions", session.rowid, {{"updated_at", FormatTimestamptz(w.now_micros())}});
}

void InsertRefreshToken(RowWriter& w, const SessionRecord& session, const NewRefreshToken& token) {
  const std::string now = FormatTimestamptz(w.now_micros());
  hooks::RowData row = {{"token_hash", token.hash},   {"session_id", session.id},
                        {"user_id", session.user_id}, {"revoked", int64_t{0}},
                        {"created_at", now},          {"updated_at", now}};
  if (token.parent_hash) row["parent_hash"] = *token.parent_hash;
  if (token.sealed_by_parent) row["sealed_by_parent"] = *token.sealed_by_parent;
  w.Insert("auth_refresh_tokens", std::move(row));
}

std::optional<RefreshTokenRecord> FindRefreshTokenByHash(Connection& conn, std::string_view hash) {
  return OneToken(conn, "WHERE token_hash = ?", std::string(hash));
}

std::optional<RefreshTokenRecord> ActiveRefreshToken(Connection& conn,
                                                     std::string_view session_id) {
  return OneToken(conn, "WHERE session_id = ? AND revoked = 0 ORDER BY id DESC LIMIT 1",
                  std::string(session_id));
}

void RevokeRefreshToken(RowWriter& w, const RefreshTokenRecord& token) {
  if (token.state.revoked) return;  // keep the first revocation time (the reuse window)
  MarkRevoked(w, token.rowid);
}

void EndSessions(RowWriter& w, std::string_view user_id, std::optional<std::string_view> session_id,
                 LogoutScope scope) {
  std::vector<std::pair<int64_t, std::string>> sessions;
  Executor(w.conn()).Run(
      {"SELECT rowid, id FROM auth_sessions WHERE user_id = ?", {std::string(user_id)}, ""},
      [&](const Row& r) { sessions.emplace_back(r.Int(0), r.Text(1)); });
  for (const auto& [rowid, id] : sessions) {
    const bool current = session_id && id == *session_id;
    const bool end = scope == LogoutScope::kGlobal || (scope == LogoutScope::kLocal && current) ||
                     (scope == LogoutScope::kOthers && !current);
    if (end) w.Delete("auth_sessions", rowid);
  }
}

}  // namespace ib::storage::auth
