#include "storage/error_auth.h"

#include <string>

namespace ib::storage {

// Messages are GoTrue's own (supabase/auth internal/api), so clients that match on them and the
// upstream docs keep applying.

Error Error::Auth::BadJson(std::string_view detail) {
  return Error(400, ErrorCode::kBadJson,
               "Could not parse request body as JSON: " + std::string(detail));
}
Error Error::Auth::ValidationFailed(std::string_view message) {
  return Error(400, ErrorCode::kValidationFailed, std::string(message));
}
Error Error::Auth::InvalidEmail() {
  return ValidationFailed("Unable to validate email address: invalid format");
}
Error Error::Auth::InvalidUserId() {
  return Error(404, ErrorCode::kValidationFailed, "user_id must be an UUID");
}
Error Error::Auth::InvalidCredentials() {
  return Error(400, ErrorCode::kInvalidCredentials, "Invalid login credentials");
}
Error Error::Auth::EmailNotConfirmed() {
  return Error(400, ErrorCode::kEmailNotConfirmed, "Email not confirmed");
}
Error Error::Auth::UserBanned() { return Error(400, ErrorCode::kUserBanned, "User is banned"); }
Error Error::Auth::RefreshTokenNotFound() {
  return Error(400, ErrorCode::kRefreshTokenNotFound,
               "Invalid Refresh Token: Refresh Token Not Found");
}
Error Error::Auth::RefreshTokenAlreadyUsed() {
  return Error(400, ErrorCode::kRefreshTokenAlreadyUsed, "Invalid Refresh Token: Already Used");
}
Error Error::Auth::SessionExpired() {
  return Error(400, ErrorCode::kSessionExpired, "Invalid Refresh Token: Session Expired");
}
Error Error::Auth::UserAlreadyExists() {
  return Error(422, ErrorCode::kUserAlreadyExists, "User already registered");
}
Error Error::Auth::EmailExists() {
  return Error(422, ErrorCode::kEmailExists,
               "A user with this email address has already been registered");
}
Error Error::Auth::WeakPassword(int min_length) {
  // Wrap(kAuth) copies `details` verbatim as the body's weak_password object.
  return Error(422, ErrorCode::kWeakPassword,
               "Password should be at least " + std::to_string(min_length) + " characters.",
               std::string(R"({"reasons":["length"]})"));
}
Error Error::Auth::SamePassword() {
  return Error(422, ErrorCode::kSamePassword,
               "New password should be different from the old password.");
}
Error Error::Auth::PhoneProviderDisabled() {
  return Error(422, ErrorCode::kPhoneProviderDisabled, "Phone signups are disabled");
}
Error Error::Auth::NoAuthorization() {
  return Error(401, ErrorCode::kNoAuthorization, "This endpoint requires a valid Bearer token");
}
Error Error::Auth::InvalidApiKey(bool missing) {
  // The gateway's answer (Kong key-auth), kept as the message so supabase-js shows it.
  if (missing) return Error(401, ErrorCode::kNoApiKey, "No API key found in request");
  return Error(401, ErrorCode::kInvalidApiKey, "Invalid API key");
}
Error Error::Auth::BadJwt(std::string_view message) {
  return Error(403, ErrorCode::kBadJwt, std::string(message));
}
Error Error::Auth::UnverifiableJwt(std::string_view reason) {
  return BadJwt("invalid JWT: unable to parse or verify signature, " + std::string(reason));
}
Error Error::Auth::SubNotUuid() {
  return Error(400, ErrorCode::kBadJwt, "invalid claim: sub claim must be a UUID");
}
Error Error::Auth::NotAdmin() { return Error(403, ErrorCode::kNotAdmin, "User not allowed"); }
Error Error::Auth::UserFromJwtNotFound() {
  return Error(403, ErrorCode::kUserNotFound, "User from sub claim in JWT does not exist");
}
Error Error::Auth::SessionNotFound() {
  return Error(403, ErrorCode::kSessionNotFound,
               "Session from session_id claim in JWT does not exist");
}
Error Error::Auth::UserNotFound() { return Error(404, ErrorCode::kUserNotFound, "User not found"); }
Error Error::Auth::OverRequestRateLimit() {
  return Error(429, ErrorCode::kOverRequestRateLimit, "Request rate limit reached");
}
Error Error::Auth::NotFound() { return Error(404, ErrorCode::kNotFound, "Unsupported endpoint"); }

}  // namespace ib::storage
