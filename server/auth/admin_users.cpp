#include "server/auth/admin_users.h"

#include <charconv>

#include "server/auth/auth_errors.h"
#include "server/auth/sessions.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::auth {
namespace {

namespace store = storage::auth;
using storage::ReadScope;
using storage::WriteScope;

constexpr int64_t kMaxPageNumber = 1'000'000;

int64_t ParsePageParam(std::string_view text, int64_t fallback) {
  if (text.empty()) return fallback;
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size() || out < 1 || out > kMaxPageNumber) {
    throw errors::ValidationFailed("Bad Pagination Parameters");
  }
  return out;
}

void CheckUserId(std::string_view id) {
  if (!IsUuid(id)) throw errors::InvalidUserId();
}

UserRecord FindOr404(storage::Connection& conn, std::string_view id) {
  CheckUserId(id);
  auto user = store::FindUserById(conn, id);
  if (!user) throw errors::UserNotFound();
  return *user;
}

// An optional boolean body field (absent or null = false).
bool BoolField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) throw errors::ValidationFailed(std::string(name) + " must be a boolean");
  return it->get<bool>();
}

// Roles a user's tokens may carry: the ones REST and Storage know.
std::string RoleField(const nlohmann::json& body, const std::string& current) {
  std::string role = StringField(body, "role");
  if (role.empty()) return current;
  if (role != "authenticated" && role != "anon" && role != "service_role") {
    throw errors::ValidationFailed("Invalid role \"" + role + "\"");
  }
  return role;
}

// The password's Argon2id hash ("" when the body sets none), computed before any lease.
std::string PasswordHashField(const nlohmann::json& body, const AuthOptions& options) {
  auto it = body.find("password");
  if (it == body.end() || it->is_null()) return "";
  const std::string password = StringField(body, "password");
  CheckPasswordStrength(password, options.password_min_length);
  return HashPassword(password, options.password_cost);
}

}  // namespace

std::string PaginationLink(std::string_view path, int64_t page, int64_t per_page, int64_t total) {
  const int64_t last = (total + per_page - 1) / per_page;
  const std::string suffix = "&per_page=" + std::to_string(per_page) + ">";
  std::string link;
  if (last > page) {
    link +=
        "<" + std::string(path) + "?page=" + std::to_string(page + 1) + suffix + "; rel=\"next\", ";
  }
  link += "<" + std::string(path) + "?page=" + std::to_string(last) + suffix + "; rel=\"last\"";
  return link;
}

nlohmann::json AdminUsers::Create(const nlohmann::json& body, const RequestMeta& meta) {
  const std::string raw_email = StringField(body, "email");
  if (raw_email.empty()) {
    if (StringField(body, "phone").empty()) {
      throw errors::ValidationFailed("Cannot create a user without either an email or phone");
    }
    // Every user has a profile, and profiles.email is NOT NULL (the original schema's rule).
    throw errors::ValidationFailed("Users without an email are not supported");
  }
  store::NewUser user;
  user.email = NormalizeEmail(raw_email);
  user.confirmed = BoolField(body, "email_confirm");
  user.role = RoleField(body, user.role);
  if (auto md = ObjectField(body, "user_metadata")) user.user_metadata = std::move(*md);
  if (auto app = ObjectField(body, "app_metadata")) {
    MergeMetadata(user.app_metadata, *app, "app_metadata");
  }
  CheckMetadataSize(user.user_metadata, user.app_metadata);
  user.password_hash = PasswordHashField(body, env_.options);

  return env_.db.Write(ServicePrincipal(), meta.clock, [&](WriteScope& w) {
    if (store::FindUserByEmail(w.conn(), user.email)) throw errors::EmailExists();
    return LoadUserJson(w.conn(), store::InsertUser(w.writer(), user));
  });
}

UserListPage AdminUsers::List(std::string_view page_text, std::string_view per_page_text,
                              std::string_view filter, std::string_view path,
                              const RequestMeta& meta) {
  const int64_t page = ParsePageParam(page_text, 1);
  const int64_t per_page = ParsePageParam(per_page_text, 50);
  if (filter.size() > kMaxUserFilterBytes) {
    throw errors::ValidationFailed("filter is longer than " + std::to_string(kMaxUserFilterBytes) +
                                   " bytes");
  }
  UserListPage out;
  nlohmann::json users = nlohmann::json::array();
  out.total = env_.db.Read(ServicePrincipal(), meta.clock, [&](ReadScope& r) {
    store::UserPage found = store::ListUsers(r.conn(), page, per_page, filter);
    for (const UserRecord& user : found.users) users.push_back(LoadUserJson(r.conn(), user));
    return found.total;
  });
  out.body = {{"users", std::move(users)}, {"aud", "authenticated"}};
  out.link = PaginationLink(path, page, per_page, out.total);
  return out;
}

nlohmann::json AdminUsers::Get(std::string_view id, const RequestMeta& meta) {
  CheckUserId(id);
  return env_.db.Read(ServicePrincipal(), meta.clock, [&](ReadScope& r) {
    return LoadUserJson(r.conn(), FindOr404(r.conn(), id));
  });
}

nlohmann::json AdminUsers::Update(std::string_view id, const nlohmann::json& body,
                                  const RequestMeta& meta) {
  CheckUserId(id);
  std::optional<std::string> email;
  if (!StringField(body, "email").empty()) email = NormalizeEmail(StringField(body, "email"));
  const auto user_metadata = ObjectField(body, "user_metadata");
  const auto app_metadata = ObjectField(body, "app_metadata");
  const bool confirm = BoolField(body, "email_confirm");
  const std::string password_hash = PasswordHashField(body, env_.options);
  const std::string now = storage::FormatTimestamptz(meta.now_micros());

  return env_.db.Write(ServicePrincipal(), meta.clock, [&](WriteScope& w) {
    UserRecord user = FindOr404(w.conn(), id);
    storage::hooks::RowData changes;
    if (email && *email != user.email) {
      if (store::FindUserByEmail(w.conn(), *email)) throw errors::EmailExists();
      changes["email"] = *email;
    }
    if (!password_hash.empty()) changes["encrypted_password"] = password_hash;
    if (confirm && !user.confirmed()) changes["email_confirmed_at"] = now;
    if (user_metadata) {
      MergeMetadata(user.user_metadata, *user_metadata, "user_metadata");
      changes["raw_user_meta_data"] = user.user_metadata.dump();
    }
    if (app_metadata) {
      MergeMetadata(user.app_metadata, *app_metadata, "app_metadata");
      changes["raw_app_meta_data"] = user.app_metadata.dump();
    }
    if (user_metadata || app_metadata) CheckMetadataSize(user.user_metadata, user.app_metadata);
    const std::string role = RoleField(body, user.role);
    if (role != user.role) changes["role"] = role;
    if (!changes.empty()) user = store::UpdateUserRow(w.writer(), user, changes);
    return LoadUserJson(w.conn(), user);
  });
}

void AdminUsers::Delete(std::string_view id, const RequestMeta& meta) {
  CheckUserId(id);
  // should_soft_delete is not supported: a delete always removes the user and, through the
  // schema's ON DELETE CASCADE, every row it owns (profile, interviews, tokens, ...).
  env_.db.Write(ServicePrincipal(), meta.clock,
                [&](WriteScope& w) { store::DeleteUserRow(w.writer(), FindOr404(w.conn(), id)); });
}

}  // namespace ib::auth
