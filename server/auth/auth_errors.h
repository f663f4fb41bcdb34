// The GoTrue error codes of /auth/v1 (wire-protocol §3.7) as storage::Error factories, so the
// code -> status table of the auth service lives in auth_errors.cpp alone. Wrap(kAuth) renders
// them as {code, message} (+ weak_password.reasons) with X-Supabase-Api-Version. Pure.
#pragma once

#include <string_view>

#include "storage/error.h"

namespace ib::auth::errors {

using storage::Error;

Error BadJson(std::string_view detail);            // 400 bad_json
Error ValidationFailed(std::string_view message);  // 400 validation_failed
Error InvalidEmail();                              // 400 validation_failed, bad email format
Error InvalidCredentials();                        // 400 invalid_credentials
Error EmailNotConfirmed();                         // 400 email_not_confirmed
Error UserBanned();                                // 400 user_banned
Error RefreshTokenNotFound();                      // 400 refresh_token_not_found
Error RefreshTokenAlreadyUsed();                   // 400 refresh_token_already_used
Error SessionExpired();                            // 400 session_expired
Error UserAlreadyExists();                         // 422 user_already_exists (signup)
Error EmailExists();                               // 422 email_exists (admin, email change)
Error WeakPassword(int min_length);                // 422 weak_password, reasons ["length"]
Error SamePassword();                              // 422 same_password
Error NoAuthorization();                           // 401 no_authorization
Error InvalidApiKey(bool missing);                 // 401, the gateway's "Invalid API key"
Error BadJwt(std::string_view message);            // 403 bad_jwt, message as given
Error UnverifiableJwt(std::string_view reason);    // 403 bad_jwt "invalid JWT: unable to ..."
Error NotAdmin();                                  // 403 not_admin
Error UserFromJwtNotFound();                       // 403 user_not_found
Error SessionNotFound();                           // 403 session_not_found
Error UserNotFound();                              // 404 user_not_found (admin)
Error OverRequestRateLimit();                      // 429 over_request_rate_limit
Error NotFound();                                  // 404 not_found (unknown /auth/v1 path)

}  // namespace ib::auth::errors
