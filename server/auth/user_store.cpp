#include "server/auth/user_store.h"

#include <cctype>

#include "storage/executor.h"
#include "storage/values.h"

namespace ib::auth {
namespace {

using storage::RowWriter;
using storage::SqlValue;
using storage::hooks::RowData;

std::optional<UserRecord> ReadUser(RowWriter& w, std::optional<int64_t> rowid) {
  if (!rowid) return std::nullopt;
  auto row = w.Read("auth_users", *rowid);
  if (!row) return std::nullopt;
  UserRecord user = UserFromRow(*row);
  user.rowid = *rowid;
  return user;
}

}  // namespace

std::string LowerUuid(std::string_view id) {
  std::string out(id);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {

SqlValue OptionalText(const std::string& text) {
  return text.empty() ? SqlValue{} : SqlValue{text};
}

}  // namespace

std::vector<int64_t> SelectRowids(RowWriter& w, const char* sql, std::vector<SqlValue> params) {
  std::vector<int64_t> out;
  storage::Executor(w.conn()).Run({sql, std::move(params), ""},
                                  [&](const storage::Row& r) { out.push_back(r.Int(0)); });
  return out;
}

std::optional<UserRecord> FindUserById(RowWriter& w, std::string_view id) {
  if (!IsUuid(id)) return std::nullopt;
  return ReadUser(w, w.FindRowid("auth_users", "id", LowerUuid(id)));
}

std::optional<UserRecord> FindUserByEmail(RowWriter& w, std::string_view email) {
  if (email.empty()) return std::nullopt;
  return ReadUser(w, w.FindRowid("auth_users", "email", std::string(email)));
}

std::vector<IdentityRecord> IdentitiesOf(RowWriter& w, std::string_view user_id) {
  std::vector<IdentityRecord> out;
  for (int64_t rowid :
       SelectRowids(w, "SELECT rowid FROM auth_identities WHERE user_id = ? ORDER BY created_at",
                    {std::string(user_id)})) {
    if (auto row = w.Read("auth_identities", rowid)) out.push_back(IdentityFromRow(*row));
  }
  return out;
}

nlohmann::json LoadUserJson(RowWriter& w, const UserRecord& user) {
  return UserJson(user, IdentitiesOf(w, user.id));
}

UserRecord InsertUser(RowWriter& w, const NewUser& user) {
  const std::string now = storage::FormatTimestamptz(w.now_micros());
  nlohmann::json app = {{"provider", "email"}, {"providers", {"email"}}};
  MergeMetadata(app, user.app_metadata, "app_metadata");
  const std::string id = NewUuid();
  RowData row = {{"id", id},
                 {"email", user.email},
                 {"encrypted_password", OptionalText(user.password_hash)},
                 {"role", user.role},
                 {"raw_user_meta_data", user.user_metadata.dump()},
                 {"raw_app_meta_data", app.dump()},
                 {"created_at", now},
                 {"updated_at", now}};
  if (user.confirmed) row["email_confirmed_at"] = now;
  if (user.signed_in) row["last_sign_in_at"] = now;
  // The AFTER INSERT hook (handle_new_user) writes the profile in this same transaction.
  int64_t rowid = w.Insert("auth_users", std::move(row));

  RowData identity = {{"id", NewUuid()},   {"user_id", id},     {"provider", "email"},
                      {"provider_id", id}, {"created_at", now}, {"updated_at", now}};
  if (user.signed_in) identity["last_sign_in_at"] = now;
  w.Insert("auth_identities", std::move(identity));
  return *ReadUser(w, rowid);
}

UserRecord UpdateUserRow(RowWriter& w, const UserRecord& user, RowData changes) {
  changes["updated_at"] = storage::FormatTimestamptz(w.now_micros());
  w.Update("auth_users", user.rowid, std::move(changes));
  auto updated = ReadUser(w, user.rowid);
  return updated ? *updated : user;
}

UserRecord RecordSignIn(RowWriter& w, const UserRecord& user) {
  const std::string now = storage::FormatTimestamptz(w.now_micros());
  for (int64_t rowid :
       SelectRowids(w, "SELECT rowid FROM auth_identities WHERE user_id = ?", {user.id})) {
    w.Update("auth_identities", rowid, {{"last_sign_in_at", now}, {"updated_at", now}});
  }
  return UpdateUserRow(w, user, {{"last_sign_in_at", now}});
}

void DeleteUserRow(RowWriter& w, const UserRecord& user) { w.Delete("auth_users", user.rowid); }

UserPage ListUsers(RowWriter& w, int64_t page, int64_t per_page) {
  UserPage out;
  auto total = storage::Executor(w.conn()).Scalar({"SELECT count(*) FROM auth_users", {}, ""});
  if (total && std::holds_alternative<int64_t>(*total)) out.total = std::get<int64_t>(*total);
  const int64_t offset = (page - 1) * per_page;
  for (int64_t rowid : SelectRowids(
           w, "SELECT rowid FROM auth_users ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
           {per_page, offset})) {
    if (auto user = ReadUser(w, rowid)) out.users.push_back(std::move(*user));
  }
  return out;
}

}  // namespace ib::auth
