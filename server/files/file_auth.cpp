#include "server/files/file_auth.h"

#include "server/auth/authenticate.h"
#include "server/files/file_errors.h"
#include "server/files/signed_urls.h"
#include "storage/error_auth.h"

namespace ib::files {

storage::Principal StoragePrincipal(std::optional<std::string_view> authorization,
                                    std::optional<std::string_view> apikey, std::string_view secret,
                                    int64_t now, AuthMode mode) {
  // Supabase's gateway stands in front of Storage too: without one of the project's keys in
  // `apikey` the request never reaches the service, whatever the bearer (the plain download
  // route included). Public object URLs and signed URLs do not come here: they need no key.
  const auth::ApiKeyCheck key = auth::CheckApiKey(apikey, secret, now);
  if (key != auth::ApiKeyCheck::kValid) {
    throw storage::Error::Auth::InvalidApiKey(/*missing=*/key == auth::ApiKeyCheck::kMissing);
  }
  auth::AuthOutcome out = auth::Resolve(authorization, apikey, secret, now);
  if (out.principal) return std::move(*out.principal);
  if (mode == AuthMode::kLenient) return storage::Principal{};
  if (out.missing_key) {
    // What supabase/storage's schema check says when no Authorization header came.
    throw errors::AccessDenied("headers must have required property 'authorization'");
  }
  if (out.unknown_role) throw errors::AccessDenied(out.message);
  throw errors::AccessDenied(JwtLibraryMessage(*out.jwt_failure));
}

}  // namespace ib::files
