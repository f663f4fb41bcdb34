#include "storage/auth/user_store.h"

#include <cctype>

#include "storage/auth/store_internal.h"
#include "storage/executor.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::storage::auth {
namespace internal {

std::string NewUuid(Connection& conn) {
  auto id = Executor(conn).Scalar({"SELECT gen_random_uuid()", {}, ""});
  return std::get<std::string>(*id);
}

std::string LowerId(std::string_view id) {
  std::string out(id);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<int64_t> Rowids(Connection& conn, const char* sql, std::vector<SqlValue> params) {
  std::vector<int64_t> out;
  Executor(conn).Run({sql, std::move(params), ""}, [&](const Row& r) { out.push_back(r.Int(0)); });
  return out;
}

}  // namespace internal

namespace {

// Every user read: these columns, in the order UserFrom decodes them, then a condition.
constexpr std::string_view kSelectUser =
    "SELECT rowid, id, email, phone, encrypted_password, role, raw_user_meta_data, "
    "raw_app_meta_data, email_confirmed_at, last_sign_in_at, banned_until, created_at, "
    "updated_at FROM auth_users ";

nlohmann::json ObjectFromText(std::string_view text) {
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_object() ? parsed : nlohmann::json::object();
}

UserRecord UserFrom(const Row& r) {
  UserRecord u;
  u.rowid = r.Int(0);
  u.id = r.Text(1);
  u.email = r.Text(2);
  u.phone = r.Text(3);
  u.encrypted_password = r.Text(4);
  if (!r[5].is_null()) u.role = r.Text(5);
  u.user_metadata = ObjectFromText(r[6].text);  // unparsable metadata reads as {}
  u.app_metadata = ObjectFromText(r[7].text);
  u.email_confirmed_at = r.OptText(8);
  u.last_sign_in_at = r.OptText(9);
  u.banned_until = r.OptText(10);
  u.created_at = r.Text(11);
  u.updated_at = r.Text(12);
  return u;
}

std::optional<UserRecord> OneUser(Connection& conn, std::string_view where, SqlValue param) {
  std::optional<UserRecord> out;
  Executor(conn).Run({std::string(kSelectUser).append(where), {std::move(param)}, ""},
                     [&](const Row& r) { out = UserFrom(r); });
  return out;
}

SqlValue OptionalText(const std::string& text) {
  return text.empty() ? SqlValue{} : SqlValue{text};
}

}  // namespace

std::optional<UserRecord> FindUserById(Connection& conn, std::string_view id) {
  return OneUser(conn, "WHERE id = ?", internal::LowerId(id));
}

std::optional<UserRecord> FindUserByEmail(Connection& conn, std::string_view email) {
  if (email.empty()) return std::nullopt;
  return OneUser(conn, "WHERE email = ?", std::string(email));
}

std::vector<IdentityRecord> IdentitiesOf(Connection& conn, std::string_view user_id) {
  std::vector<IdentityRecord> out;
  Executor(conn).Run(
      {"SELECT id, user_id, provider, provider_id, last_sign_in_at, created_at, updated_at "
       "FROM auth_identities WHERE user_id = ? ORDER BY created_at",
       {std::string(user_id)},
       ""},
      [&](const Row& r) {
        out.push_back(IdentityRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.OptText(4),
                                     r.Text(5), r.Text(6)});
      });
  return out;
}

UserPage ListUsers(Connection& conn, int64_t page, int64_t per_page, std::string_view filter) {
  UserPage out;
  std::string where;
  std::vector<SqlValue> params;
  if (!filter.empty()) {
    std::string pattern = "%";
    for (char c : filter) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += '%';
    // LIKE is case-sensitive on our connections (PostgREST's `like`): lower() both sides.
    where =
        "WHERE lower(email) LIKE lower(?) ESCAPE '\\' "
        "OR lower(json_extract(raw_user_meta_data, '$.full_name')) LIKE lower(?) ESCAPE '\\' ";
    params = {pattern, pattern};
  }
  auto total = Executor(conn).Scalar({"SELECT count(*) FROM auth_users " + where, params, ""});
  if (total && std::holds_alternative<int64_t>(*total)) out.total = std::get<int64_t>(*total);
  params.push_back(per_page);
  params.push_back((page - 1) * per_page);
  Executor(conn).Run({std::string(kSelectUser)
                          .append(where)
                          .append("ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?"),
                      params, ""},
                     [&](const Row& r) { out.users.push_back(UserFrom(r)); });
  return out;
}

UserRecord InsertUser(RowWriter& w, const NewUser& user) {
  const std::string now = FormatTimestamptz(w.now_micros());
  const std::string id = internal::NewUuid(w.conn());
  hooks::RowData row = {{"id", id},
                        {"email", user.email},
                        {"encrypted_password", OptionalText(user.password_hash)},
                        {"role", user.role},
                        {"raw_user_meta_data", user.user_metadata.dump()},
                        {"raw_app_meta_data", user.app_metadata.dump()},
                        {"created_at", now},
                        {"updated_at", now}};
  if (user.confirmed) row["email_confirmed_at"] = now;
  if (user.signed_in) row["last_sign_in_at"] = now;
  // The AFTER INSERT hook (handle_new_user) writes the profile in this same transaction.
  const int64_t rowid = w.Insert("auth_users", std::move(row));

  hooks::RowData identity = {{"id", internal::NewUuid(w.conn())},
                             {"user_id", id},
                             {"provider", "email"},
                             {"provider_id", id},
                             {"created_at", now},
                             {"updated_at", now}};
  if (user.signed_in) identity["last_sign_in_at"] = now;
  w.Insert("auth_identities", std::move(identity));
  return *OneUser(w.conn(), "WHERE rowid = ?", rowid);
}

UserRecord UpdateUserRow(RowWriter& w, const UserRecord& user, hooks::RowData changes) {
  changes["updated_at"] = FormatTimestamptz(w.now_micros());
  w.Update("auth_users", user.rowid, std::move(changes));
  auto updated = OneUser(w.conn(), "WHERE rowid = ?", user.rowid);
  return updated ? *updated : user;
}

UserRecord RecordSignIn(RowWriter& w, const UserRecord& user) {
  const std::string now = FormatTimestamptz(w.now_micros());
  for (int64_t rowid : internal::Rowids(
           w.conn(), "SELECT rowid FROM auth_identities WHERE user_id = ?", {user.id})) {
    w.Update("auth_identities", rowid, {{"last_sign_in_at", now}, {"updated_at", now}});
  }
  return UpdateUserRow(w, user, {{"last_sign_in_at", now}});
}

void DeleteUserRow(RowWriter& w, const UserRecord& user) { w.Delete("auth_users", user.rowid); }

}  // namespace ib::storage::auth
