#include "server/auth/auth_errors.h"

#include <string>

namespace ib::auth::errors {

// Messages are GoTrue's own (supabase/auth internal/api), so clients that match on them and the
// upstream docs keep applying.

Error BadJson(std::string_view detail) {
  return Error(400, "bad_json", "Could not parse request body as JSON: " + std::string(detail));
}
Error ValidationFailed(std::string_view message) {
  return Error(400, "validation_failed", std::string(message));
}
Error InvalidEmail() {
  return ValidationFailed("Unable to validate email address: invalid format");
}
Error InvalidCredentials() {
  return Error(400, "invalid_credentials", "Invalid login credentials");
}
Error EmailNotConfirmed() { return Error(400, "email_not_confirmed", "Email not confirmed"); }
Error UserBanned() { return Error(400, "user_banned", "User is banned"); }
Error RefreshTokenNotFound() {
  return Error(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
}
Error RefreshTokenAlreadyUsed() {
  return Error(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
}
Error SessionExpired() {
  return Error(400, "session_expired", "Invalid Refresh Token: Session Expired");
}
Error UserAlreadyExists() { return Error(422, "user_already_exists", "User already registered"); }
Error EmailExists() {
  return Error(422, "email_exists", "A user with this email address has already been registered");
}
Error WeakPassword(int min_length) {
  // Wrap(kAuth) copies `details` verbatim as the body's weak_password object.
  return Error(422, "weak_password",
               "Password should be at least " + std::to_string(min_length) + " characters.",
               std::string(R"({"reasons":["length"]})"));
}
Error SamePassword() {
  return Error(422, "same_password", "New password should be different from the old password.");
}
Error NoAuthorization() {
  return Error(401, "no_authorization", "This endpoint requires a valid Bearer token");
}
Error InvalidApiKey(bool missing) {
  // The gateway's answer (Kong key-auth), kept as the message so supabase-js shows it.
  return Error(401, missing ? "no_api_key" : "invalid_api_key",
               missing ? "No API key found in request" : "Invalid API key");
}
Error BadJwt(std::string_view message) { return Error(403, "bad_jwt", std::string(message)); }
Error UnverifiableJwt(std::string_view reason) {
  return BadJwt("invalid JWT: unable to parse or verify signature, " + std::string(reason));
}
Error NotAdmin() { return Error(403, "not_admin", "User not allowed"); }
Error UserFromJwtNotFound() {
  return Error(403, "user_not_found", "User from sub claim in JWT does not exist");
}
Error SessionNotFound() {
  return Error(403, "session_not_found", "Session from session_id claim in JWT does not exist");
}
Error UserNotFound() { return Error(404, "user_not_found", "User not found"); }
Error OverRequestRateLimit() {
  return Error(429, "over_request_rate_limit", "Request rate limit reached");
}
Error NotFound() { return Error(404, "not_found", "Unsupported endpoint"); }

}  // namespace ib::auth::errors
