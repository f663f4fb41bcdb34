// GoTrue's session endpoints: sign-up (autoconfirm), password sign-in, refresh-token rotation,
// logout, and the signed-in user's own record (GET/PUT /user). Each call is one transaction as
// the service (auth_env.h); Argon2id hashing and verification run before the write lease is
// taken, so parallel sign-ins hash in parallel instead of queueing behind the writer.
// Owns the in-memory rate limits. Thread-safe: one instance serves every worker.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth/auth_env.h"
#include "server/auth/auth_guard.h"
#include "server/auth/rate_limiter.h"
#include "server/auth/users.h"
#include "storage/auth/session_store.h"
#include "storage/auth/user_store.h"

namespace ib::auth {

using storage::auth::LogoutScope;
using storage::auth::SessionRecord;

class Sessions {
 public:
  explicit Sessions(AuthEnv env);

  // POST /signup {email, password, data}: creates a confirmed user (and, by hook, its
  // profile) and returns a session. 422 user_already_exists, 422 weak_password, 400
  // validation_failed, 429 when the IP's sign-up budget is spent.
  nlohmann::json SignUp(const nlohmann::json& body, const RequestMeta& meta);
  // POST /token?grant_type=password {email, password}: a new session. 400 invalid_credentials
  // (unknown email and wrong password alike), 400 email_not_confirmed, 429 after too many
  // failures for the email or the IP.
  nlohmann::json SignInWithPassword(const nlohmann::json& body, const RequestMeta& meta);
  // POST /token?grant_type=refresh_token {refresh_token}: rotation per tokens.h DecideRefresh.
  nlohmann::json Refresh(const nlohmann::json& body, const RequestMeta& meta);
  // POST /logout?scope=global|local|others ("" = global).
  void Logout(const UserClaims& who, std::string_view scope, const RequestMeta& meta);
  // GET /user and PUT /user {data, email, password}.
  nlohmann::json GetUser(const UserClaims& who, const RequestMeta& meta);
  nlohmann::json UpdateUser(const UserClaims& who, const nlohmann::json& body,
                            const RequestMeta& meta);

 private:
  // A hash of a random password at the configured cost, verified against when the email is
  // unknown so that answer takes as long as a wrong password (no account enumeration by time).
  const std::string& DummyHash();

  AuthEnv env_;
  AuthLimits limits_;
  std::once_flag dummy_once_;  // guards the one-time computation of dummy_hash_
  std::string dummy_hash_;
};

// The caller of a user token, loaded: 403 user_not_found when `sub` is gone, 403
// session_not_found when `session_id` names no session of that user.
struct Caller {
  UserRecord user;
  std::optional<SessionRecord> session;
};
Caller LoadCaller(storage::Connection& conn, const UserClaims& who);

// UserJson with the user's identities loaded.
nlohmann::json LoadUserJson(storage::Connection& conn, const UserRecord& user);

// The session JSON GoTrue answers a grant with, for `user` in `session`, with a fresh access
// token.
nlohmann::json SessionResponse(storage::Connection& conn, const AuthEnv& env,
                               const UserRecord& user, const SessionRecord& session,
                               std::string_view refresh_token, const RequestMeta& meta);

// Issues a refresh token in `session`: a fresh random token, stored as its hash. When
// rotating, `parent` is the presented token (plaintext), recorded as the child's parent and
// used to seal the child. Returns the new token.
std::string IssueRefreshToken(storage::WriteScope& w, const SessionRecord& session,
                              std::optional<std::string_view> parent);

// True while `user.banned_until` lies after now.
bool IsBanned(const UserRecord& user, int64_t now_micros);

// A JSON body field that must be an object when present; nullopt when absent or null.
std::optional<nlohmann::json> ObjectField(const nlohmann::json& body, const char* name);

}  // namespace ib::auth
