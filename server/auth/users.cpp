#include "server/auth/users.h"

#include <cctype>

#include "server/auth/auth_errors.h"

namespace ib::auth {
namespace {

void PutTime(nlohmann::json& out, const char* key, const std::optional<std::string>& stored) {
  if (stored) out[key] = GoTrueTime(*stored);  // GoTrue omits null timestamps
}

// GoTrue's email pattern (internal/api/mail.go): an RFC 5322 "dot-atom" local part and
// hostname labels of 1-63 letters, digits or inner hyphens.
bool IsLocalChar(char c) {
  static constexpr std::string_view kSpecials = ".!#$%&'*+/=?^_`{|}~-";
  return std::isalnum(static_cast<unsigned char>(c)) || kSpecials.find(c) != std::string_view::npos;
}

bool IsHostLabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  for (char c : label) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

bool IsEmailShape(std::string_view email) {
  auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.size() > kMaxEmailBytes) return false;
  for (char c : email.substr(0, at)) {
    if (!IsLocalChar(c)) return false;
  }
  std::string_view host = email.substr(at + 1);
  while (true) {
    auto dot = host.find('.');
    if (!IsHostLabel(host.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    host.remove_prefix(dot + 1);
  }
}

}  // namespace

std::string GoTrueTime(std::string_view stored) {
  constexpr std::string_view kUtc = "+00:00";
  if (stored.size() > kUtc.size() && stored.substr(stored.size() - kUtc.size()) == kUtc) {
    return std::string(stored.substr(0, stored.size() - kUtc.size())) + "Z";
  }
  return std::string(stored);
}

nlohmann::json UserJson(const UserRecord& user, const std::vector<IdentityRecord>& identities) {
  nlohmann::json out = {{"id", user.id},
                        {"aud", "authenticated"},
                        {"role", user.role},
                        {"email", user.email},
                        {"phone", user.phone}};
  PutTime(out, "email_confirmed_at", user.email_confirmed_at);
  PutTime(out, "confirmed_at", user.email_confirmed_at);  // confirmed by email (no phone flow)
  PutTime(out, "last_sign_in_at", user.last_sign_in_at);
  PutTime(out, "banned_until", user.banned_until);
  out["app_metadata"] = user.app_metadata;
  out["user_metadata"] = user.user_metadata;
  nlohmann::json list = nlohmann::json::array();
  for (const IdentityRecord& i : identities) {
    nlohmann::json identity = {{"identity_id", i.id},
                               {"id", i.provider_id},
                               {"user_id", i.user_id},
                               {"identity_data",
                                {{"sub", user.id},
                                 {"email", user.email},
                                 {"email_verified", user.confirmed()},
                                 {"phone_verified", false}}},
                               {"provider", i.provider}};
    PutTime(identity, "last_sign_in_at", i.last_sign_in_at);
    identity["created_at"] = GoTrueTime(i.created_at);
    identity["updated_at"] = GoTrueTime(i.updated_at);
    identity["email"] = user.email;
    list.push_back(std::move(identity));
  }
  out["identities"] = std::move(list);
  out["created_at"] = GoTrueTime(user.created_at);
  out["updated_at"] = GoTrueTime(user.updated_at);
  out["is_anonymous"] = false;
  return out;
}

std::string CanonicalEmail(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) {
    email.remove_prefix(1);
  }
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) {
    email.remove_suffix(1);
  }
  std::string out(email);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string NormalizeEmail(std::string_view email) {
  std::string out = CanonicalEmail(email);
  if (!IsEmailShape(out)) throw errors::InvalidEmail();
  return out;
}

void CheckPasswordStrength(std::string_view password, int min_length) {
  int code_points = 0;
  for (char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++code_points;  // not a continuation
  }
  if (code_points < min_length) throw errors::WeakPassword(min_length);
}

void CheckMetadataSize(const nlohmann::json& user_metadata, const nlohmann::json& app_metadata) {
  const auto dumped = [](const nlohmann::json& v) {
    return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size();
  };
  if (dumped(user_metadata) + dumped(app_metadata) > kMaxMetadataBytes) {
    throw errors::ValidationFailed("user_metadata and app_metadata together may take at most " +
                                   std::to_string(kMaxMetadataBytes) + " bytes");
  }
}

void MergeMetadata(nlohmann::json& metadata, const nlohmann::json& changes,
                   std::string_view field) {
  if (!changes.is_object()) {
    throw errors::ValidationFailed(std::string(field) + " must be an object");
  }
  if (!metadata.is_object()) metadata = nlohmann::json::object();
  for (const auto& [key, value] : changes.items()) {
    if (value.is_null()) {
      metadata.erase(key);
    } else {
      metadata[key] = value;
    }
  }
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::string StringField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return "";
  if (!it->is_string()) throw errors::ValidationFailed(std::string(name) + " must be a string");
  return it->get<std::string>();
}

}  // namespace ib::auth
