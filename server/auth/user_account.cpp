// Sessions::UpdateUser: PUT /user, the signed-in user changing their own record (GoTrue's
// user.go UserUpdate) with autoconfirm: email changes apply at once.
#include "server/auth/auth_errors.h"
#include "server/auth/passwords.h"
#include "server/auth/sessions.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::auth {
namespace {

namespace store = storage::auth;
using storage::ReadScope;
using storage::WriteScope;

bool Present(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && !it->is_null();
}

}  // namespace

nlohmann::json Sessions::UpdateUser(const UserClaims& who, const nlohmann::json& body,
                                    const RequestMeta& meta) {
  if (Present(body, "app_metadata")) throw errors::NotAdmin();  // only the admin API sets it
  const std::optional<nlohmann::json> data = ObjectField(body, "data");
  std::optional<std::string> email;
  if (!StringField(body, "email").empty()) email = NormalizeEmail(StringField(body, "email"));

  // A new password is checked and hashed before the write lease (Argon2id is the slow part);
  // same_password needs the stored hash, read in its own snapshot first.
  std::string new_hash;
  if (Present(body, "password")) {
    const std::string password = StringField(body, "password");
    CheckPasswordStrength(password, env_.options.password_min_length);
    const std::string old_hash = env_.db.Read(ServicePrincipal(), meta.clock, [&](ReadScope& r) {
      return LoadCaller(r.conn(), who).user.encrypted_password;
    });
    if (!old_hash.empty() && VerifyPassword(old_hash, password)) throw errors::SamePassword();
    new_hash = HashPassword(password, env_.options.password_cost);
  }

  return env_.db.Write(ServicePrincipal(), meta.clock, [&](WriteScope& w) {
    Caller caller = LoadCaller(w.conn(), who);
    storage::hooks::RowData changes;
    if (data) {
      nlohmann::json metadata = caller.user.user_metadata;
      MergeMetadata(metadata, *data, "data");
      CheckMetadataSize(metadata, caller.user.app_metadata);
      changes["raw_user_meta_data"] = metadata.dump();
    }
    if (!new_hash.empty()) changes["encrypted_password"] = new_hash;
    if (email && *email != caller.user.email) {
      if (store::FindUserByEmail(w.conn(), *email)) throw errors::EmailExists();
      changes["email"] = *email;
      changes["email_confirmed_at"] = storage::FormatTimestamptz(meta.now_micros());
    }
    UserRecord user =
        changes.empty() ? caller.user : store::UpdateUserRow(w.writer(), caller.user, changes);
    return LoadUserJson(w.conn(), user);
  });
}

}  // namespace ib::auth
