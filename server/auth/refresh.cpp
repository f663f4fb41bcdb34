// Sessions::Refresh: GoTrue's refresh_token grant (token_refresh.go) with rotation on every
// use. The decision itself is the pure DecideRefresh (tokens.h); this file applies it.
#include "server/auth/auth_errors.h"
#include "server/auth/sessions.h"
#include "server/auth/tokens.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::auth {
namespace {

namespace store = storage::auth;
using storage::WriteScope;

struct RefreshOutcome {
  nlohmann::json session;
  // Set when the request is refused but its writes must still commit (reuse detected: the
  // session stays ended), as GoTrue's NewCommitWithError.
  std::optional<storage::Error> refusal;
};

// Hands the client a fresh access token around `refresh_token` and marks the session used.
RefreshOutcome Answer(WriteScope& w, const AuthEnv& env, const UserRecord& user,
                      const SessionRecord& session, std::string_view refresh_token,
                      const RequestMeta& meta) {
  store::TouchSession(w.writer(), session);
  return {SessionResponse(w.conn(), env, user, session, refresh_token, meta), std::nullopt};
}

RefreshOutcome RefreshIn(WriteScope& w, const AuthEnv& env, const std::string& token,
                         const RequestMeta& meta) {
  auto presented = store::FindRefreshTokenByHash(w.conn(), HashRefreshToken(token));
  if (!presented) throw errors::RefreshTokenNotFound();
  auto user = store::FindUserById(w.conn(), presented->user_id);
  auto session = store::FindSession(w.conn(), presented->session_id);
  if (!user || !session) throw errors::RefreshTokenNotFound();
  if (IsBanned(*user, meta.now_micros())) throw errors::UserBanned();
  if (session->not_after &&
      storage::ParseCanonicalTimestamptz(*session->not_after) <= meta.now_micros()) {
    throw errors::SessionExpired();
  }
  auto active = store::ActiveRefreshToken(w.conn(), session->id);
  std::optional<RefreshTokenState> active_state;
  if (active) active_state = active->state;
  switch (DecideRefresh(presented->state, active_state, meta.now_micros(),
                        env.options.refresh_reuse_interval)) {
    case RefreshDecision::kAlreadyUsed:
      // Someone holds an old token of this session: end the whole session, as a local logout
      // would. Its refresh tokens go with it (the active one too, which merely revoking would
      // leave usable for the reuse interval), and its access tokens then fail on /user.
      store::EndSessions(w.writer(), user->id, session->id, LogoutScope::kLocal);
      return {nlohmann::json(), errors::RefreshTokenAlreadyUsed()};
    case RefreshDecision::kReturnActive:
      if (auto again = UnsealWithParent(token, active->sealed_by_parent)) {
        return Answer(w, env, *user, *session, *again, meta);
      }
      break;  // the hashes matched, so the caller holds the parent: rotate below instead
    case RefreshDecision::kRotate:
      break;
  }
  store::RevokeRefreshToken(w.writer(), *presented);
  const std::string child = IssueRefreshToken(w, *session, token);
  return Answer(w, env, *user, *session, child, meta);
}

}  // namespace

nlohmann::json Sessions::Refresh(const nlohmann::json& body, const RequestMeta& meta) {
  if (!limits_.refreshes_per_ip.TryAcquire(meta.ip, meta.now_seconds())) {
    throw errors::OverRequestRateLimit();
  }
  const std::string token = StringField(body, "refresh_token");
  if (token.empty()) throw errors::ValidationFailed("refresh_token required");
  RefreshOutcome outcome = env_.db.Write(ServicePrincipal(), meta.clock, [&](WriteScope& w) {
    return RefreshIn(w, env_, token, meta);
  });
  if (outcome.refusal) throw *outcome.refusal;
  return std::move(outcome.session);
}

}  // namespace ib::auth
