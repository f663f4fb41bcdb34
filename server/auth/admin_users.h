// The service-role admin API, /auth/v1/admin/users (GoTrue's admin.go): create, list (paged,
// newest first), get, update and delete users. The caller has passed RequireAdmin. Each call is
// one transaction as the service; deleting a user cascades to every row it owns.
// Thread-safe: one instance serves every worker.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "server/auth/auth_env.h"

namespace ib::auth {

inline constexpr size_t kMaxUserFilterBytes = 256;

struct UserListPage {
  // {"users":[…],"aud":"authenticated"}; value_t::null for the reason given in Principal.
  nlohmann::json body = nlohmann::json::value_t::null;
  int64_t total = 0;  // X-Total-Count
  std::string link;   // Link header
};

class AdminUsers {
 public:
  explicit AdminUsers(AuthEnv env) : env_(std::move(env)) {}

  // POST {email, password, email_confirm, user_metadata, app_metadata, role} -> user.
  // 400 validation_failed without email, 422 email_exists, 422 weak_password.
  nlohmann::json Create(const nlohmann::json& body, const RequestMeta& meta);
  // GET ?page=&per_page= (empty = 1 / 50)&filter= (GoTrue's: users whose email or
  // user_metadata.full_name contains it, ASCII case ignored; at most kMaxUserFilterBytes, else
  // 400 validation_failed). `path` is the route, echoed in the Link header.
  UserListPage List(std::string_view page, std::string_view per_page, std::string_view filter,
                    std::string_view path, const RequestMeta& meta);
  // 404 user_not_found (404 validation_failed for a malformed id, as GoTrue).
  nlohmann::json Get(std::string_view id, const RequestMeta& meta);
  nlohmann::json Update(std::string_view id, const nlohmann::json& body, const RequestMeta& meta);
  void Delete(std::string_view id, const RequestMeta& meta);

 private:
  AuthEnv env_;
};

// GoTrue's pagination Link: `<path?page=N+1&per_page=P>; rel="next", <path?page=L&per_page=P>;
// rel="last"` (next only when more pages exist). `page` comes first: supabase-js reads the
// page number right after the first '='.
std::string PaginationLink(std::string_view path, int64_t page, int64_t per_page, int64_t total);

}  // namespace ib::auth
