#include "server/auth/authenticate.h"

#include <cctype>

#include "storage/error.h"

namespace ib::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "Bearer xxx" (scheme case-insensitive, as RFC 7235 says) -> "xxx"; otherwise the raw value.
std::string_view BearerToken(std::string_view header) {
  header = Trim(header);
  if (header.size() >= 7) {
    std::string scheme(header.substr(0, 7));
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme == "bearer ") return Trim(header.substr(7));
  }
  return header;
}

}  // namespace

AuthOutcome Resolve(std::optional<std::string_view> authorization,
                    std::optional<std::string_view> apikey, std::string_view secret,
                    int64_t now) {
  AuthOutcome out;
  std::optional<std::string_view> token;
  if (authorization && !Trim(*authorization).empty()) {
    token = BearerToken(*authorization);
  } else if (apikey && !Trim(*apikey).empty()) {
    token = Trim(*apikey);  // Supabase: the apikey alone counts as the bearer
  }
  if (!token) {
    out.missing_key = true;
    out.message = "No API key found in request";
    return out;
  }
  JwtResult jwt = VerifyHs256(*token, secret, now);
  if (!jwt.ok()) {
    out.jwt_failure = jwt.failure;
    out.message = jwt.message;
    return out;
  }
  storage::Principal p;
  p.claims = std::move(jwt.claims);
  auto role_it = p.claims.find("role");
  std::string role = (role_it != p.claims.end() && role_it->is_string())
                         ? role_it->get<std::string>()
                         : "anon";
  if (role == "anon") {
    p.role = storage::Role::kAnon;
  } else if (role == "authenticated") {
    p.role = storage::Role::kAuthenticated;
  } else if (role == "service_role") {
    p.role = storage::Role::kServiceRole;
  } else {
    out.unknown_role = true;
    out.role_claim = role;
    out.message = "role \"" + role + "\" does not exist";
    return out;
  }
  auto sub = p.claims.find("sub");
  if (sub != p.claims.end() && sub->is_string()) p.user_id = sub->get<std::string>();
  out.principal = std::move(p);
  return out;
}

storage::Principal AuthenticateRest(std::optional<std::string_view> authorization,
                                    std::optional<std::string_view> apikey,
                                    std::string_view secret, int64_t now) {
  AuthOutcome out = Resolve(authorization, apikey, secret, now);
  if (out.principal) return std::move(*out.principal);
  if (out.missing_key) {
    throw storage::Error(401, "PGRST301", out.message, std::nullopt,
                         std::string("No `apikey` request header or url param was found."));
  }
  if (out.unknown_role) throw storage::Error::UnknownRole(out.role_claim);
  if (out.jwt_failure == JwtFailure::kExpired) throw storage::Error::JwtExpired();
  throw storage::Error::JwtInvalid(out.message);
}

}  // namespace ib::auth
