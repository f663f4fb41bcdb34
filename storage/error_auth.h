// GoTrue's /auth/v1 error codes as Error factories, worded as supabase/auth words them so
// clients that match on the messages keep working. Wrap(kAuth) renders them as
// {code, error_code, msg, message} (+ weak_password.reasons). Pure values; thread-safe.
#pragma once

#include <string_view>

#include "storage/error.h"

namespace ib::storage {

struct Error::Auth {
  static Error BadJson(std::string_view detail);            // 400 bad_json
  static Error ValidationFailed(std::string_view message);  // 400 validation_failed
  static Error InvalidEmail();                              // 400 validation_failed, bad email
  static Error InvalidUserId();                             // 404 validation_failed (admin)
  static Error InvalidCredentials();                        // 400 invalid_credentials
  static Error EmailNotConfirmed();                         // 400 email_not_confirmed
  static Error UserBanned();                                // 400 user_banned
  static Error RefreshTokenNotFound();                      // 400 refresh_token_not_found
  static Error RefreshTokenAlreadyUsed();                   // 400 refresh_token_already_used
  static Error SessionExpired();                            // 400 session_expired
  static Error UserAlreadyExists();                         // 422 user_already_exists (signup)
  static Error EmailExists();                               // 422 email_exists
  static Error WeakPassword(int min_length);                // 422 weak_password ["length"]
  static Error SamePassword();                              // 422 same_password
  static Error PhoneProviderDisabled();                     // 422 phone_provider_disabled
  static Error NoAuthorization();                           // 401 no_authorization
  static Error InvalidApiKey(bool missing);                 // 401 no_api_key / invalid_api_key
  static Error BadJwt(std::string_view message);            // 403 bad_jwt, message as given
  static Error UnverifiableJwt(std::string_view reason);    // 403 bad_jwt "invalid JWT: ..."
  static Error SubNotUuid();                                // 400 bad_jwt, sub is no UUID
  static Error NotAdmin();                                  // 403 not_admin
  static Error UserFromJwtNotFound();                       // 403 user_not_found
  static Error SessionNotFound();                           // 403 session_not_found
  static Error UserNotFound();                              // 404 user_not_found (admin)
  static Error OverRequestRateLimit();                      // 429 over_request_rate_limit
  static Error NotFound();                                  // 404 not_found (unknown path)
};

}  // namespace ib::storage
