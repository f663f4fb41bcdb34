#include "server/auth/sessions.h"

#include <cctype>

#include "server/auth/auth_errors.h"
#include "server/auth/passwords.h"
#include "server/auth/tokens.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::auth {
namespace {

namespace store = storage::auth;
using storage::ReadScope;
using storage::WriteScope;

LogoutScope ParseScope(std::string_view scope) {
  if (scope.empty() || scope == "global") return LogoutScope::kGlobal;
  if (scope == "local") return LogoutScope::kLocal;
  if (scope == "others") return LogoutScope::kOthers;
  throw errors::ValidationFailed("Unsupported logout scope \"" + std::string(scope) + "\"");
}

// A new session with its first refresh token, answered as the session JSON.
nlohmann::json StartSession(WriteScope& w, const AuthEnv& env, const UserRecord& user,
                            const RequestMeta& meta) {
  SessionRecord session = store::CreateSession(w.writer(), user.id);
  std::string refresh = IssueRefreshToken(w, session, std::nullopt);
  return SessionResponse(w.conn(), env, user, session, refresh, meta);
}

}  // namespace

Sessions::Sessions(AuthEnv env)
    : env_(std::move(env)),
      limits_(env_.options.signin_failures_per_email, env_.options.signin_failures_per_ip,
              env_.options.signin_failures_per_account, env_.options.signups_per_ip,
              env_.options.refreshes_per_ip) {}

const std::string& Sessions::DummyHash() {
  std::call_once(dummy_once_, [this] {
    dummy_hash_ = HashPassword(RandomToken(16), env_.options.password_cost);
  });
  return dummy_hash_;
}

bool IsBanned(const UserRecord& user, int64_t now_micros) {
  return user.banned_until && storage::ParseCanonicalTimestamptz(*user.banned_until) > now_micros;
}

std::optional<nlohmann::json> ObjectField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) throw errors::ValidationFailed(std::string(name) + " must be an object");
  return *it;
}

Caller LoadCaller(storage::Connection& conn, const UserClaims& who) {
  auto user = store::FindUserById(conn, who.user_id);
  if (!user) throw errors::UserFromJwtNotFound();
  Caller caller{std::move(*user), std::nullopt};
  if (who.session_id) {
    caller.session = store::FindSession(conn, *who.session_id);
    if (!caller.session || caller.session->user_id != caller.user.id) {
      throw errors::SessionNotFound();
    }
  }
  return caller;
}

nlohmann::json LoadUserJson(storage::Connection& conn, const UserRecord& user) {
  return UserJson(user, store::IdentitiesOf(conn, user.id));
}

std::string IssueRefreshToken(WriteScope& w, const SessionRecord& session,
                              std::optional<std::string_view> parent) {
  std::string token = NewRefreshToken();
  store::NewRefreshToken row{HashRefreshToken(token), std::nullopt, std::nullopt};
  if (parent) {
    row.parent_hash = HashRefreshToken(*parent);
    row.sealed_by_parent = SealForChild(*parent, token);
  }
  store::InsertRefreshToken(w.writer(), session, row);
  return token;
}

nlohmann::json SessionResponse(storage::Connection& conn, const AuthEnv& env,
                               const UserRecord& user, const SessionRecord& session,
                               std::string_view refresh_token, const RequestMeta& meta) {
  // amr records when the session signed in, not when this token was minted.
  const int64_t signed_in_at = storage::ParseCanonicalTimestamptz(session.created_at) / 1'000'000;
  nlohmann::json claims = AccessTokenClaims(user, session.id, signed_in_at, meta.now_seconds(),
                                            env.options.jwt_expiry, meta.issuer);
  return SessionJson(IssueAccessToken(claims, env.secret), refresh_token, LoadUserJson(conn, user));
}

nlohmann::json Sessions::SignUp(const nlohmann::json& body, const RequestMeta& meta) {
  const std::string raw_email = StringField(body, "email");
  if (raw_email.empty()) {
    if (!StringField(body, "phone").empty()) {
      throw errors::PhoneProviderDisabled();
    }
    throw errors::ValidationFailed("To signup, please provide your email");
  }
  store::NewUser user;
  user.email = NormalizeEmail(raw_email);  // before the budget: a malformed request costs none
  if (!limits_.signups_per_ip.TryAcquire(meta.ip, meta.now_seconds())) {
    throw errors::OverRequestRateLimit();
  }
  const std::string password = StringField(body, "password");
  if (password.empty()) throw errors::ValidationFailed("Signup requires a valid password");
  CheckPasswordStrength(password, env_.options.password_min_length);
  if (auto data = ObjectField(body, "data")) user.user_metadata = std::move(*data);
  CheckMetadataSize(user.user_metadata, user.app_metadata);
  user.confirmed = true;  // autoconfirm: no mailer, the session comes back at once
  user.signed_in = true;
  user.password_hash = HashPassword(password, env_.options.password_cost);  // outside the lock

  return env_.db.Write(ServicePrincipal(), meta.clock, [&](WriteScope& w) {
    if (store::FindUserByEmail(w.conn(), user.email)) throw errors::UserAlreadyExists();
    return StartSession(w, env_, store::InsertUser(w.writer(), user), meta);
  });
}

nlohmann::json Sessions::SignInWithPassword(const nlohmann::json& body, const RequestMeta& meta) {
  const std::string raw_email = StringField(body, "email");
  const std::string password = StringField(body, "password");
  if (CanonicalEmail(raw_email).empty()) {
    if (StringField(body, "phone").empty())
      throw errors::ValidationFailed("missing email or phone");
    throw errors::InvalidCredentials();  // no phone accounts exist
  }
  // Validated (at most 255 bytes, an address's shape) before any limiter sees it.
  const std::string email = NormalizeEmail(raw_email);
  const std::string email_at_address = email + '\n' + meta.ip;
  const int64_t now = meta.now_seconds();
  if (limits_.failed_signins_per_email_address.Exhausted(email_at_address, now) ||
      limits_.failed_signins_per_ip.Exhausted(meta.ip, now) ||
      limits_.failed_signins_per_account.Exhausted(email, now)) {
    throw errors::OverRequestRateLimit();
  }
  auto found = env_.db.Read(ServicePrincipal(), meta.clock,
                            [&](ReadScope& r) { return store::FindUserByEmail(r.conn(), email); });
  const bool has_hash = found && !found->encrypted_password.empty();
  const bool verified =
      VerifyPassword(has_hash ? found->encrypted_password : DummyHash(), password);
  if (!has_hash || !verified) {
    limits_.failed_signins_per_email_address.Record(email_at_address, now);
    limits_.failed_signins_per_ip.Record(meta.ip, now);
    limits_.failed_signins_per_account.Record(email, now);
    throw errors::InvalidCredentials();
  }
  if (!found->confirmed()) throw errors::EmailNotConfirmed();
  if (IsBanned(*found, meta.now_micros())) throw errors::UserBanned();

  return env_.db.Write(ServicePrincipal(), meta.clock, [&](WriteScope& w) {
    // Verified outside the lock: if the password changed or the user went away meanwhile,
    // answer as for a wrong password.
    auto current = store::FindUserById(w.conn(), found->id);
    if (!current || current->encrypted_password != found->encrypted_password) {
      throw errors::InvalidCredentials();
    }
    return StartSession(w, env_, store::RecordSignIn(w.writer(), *current), meta);
  });
}

void Sessions::Logout(const UserClaims& who, std::string_view scope, const RequestMeta& meta) {
  const LogoutScope parsed = ParseScope(scope);
  env_.db.Write(ServicePrincipal(), meta.clock, [&](WriteScope& w) {
    Caller caller = LoadCaller(w.conn(), who);
    // Without a session_id claim only "global" names anything (GoTrue ends nothing then; we
    // end every session, the safer reading of "sign out everywhere").
    if (caller.session || parsed == LogoutScope::kGlobal) {
      store::EndSessions(w.writer(), caller.user.id, who.session_id, parsed);
    }
  });
}

nlohmann::json Sessions::GetUser(const UserClaims& who, const RequestMeta& meta) {
  return env_.db.Read(ServicePrincipal(), meta.clock, [&](ReadScope& r) {
    return LoadUserJson(r.conn(), LoadCaller(r.conn(), who).user);
  });
}

}  // namespace ib::auth
