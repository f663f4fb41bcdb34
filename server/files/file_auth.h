// Who is asking, for /storage/v1: first the gateway's check (401 unless `apikey` is one of the
// project's keys, as for REST), then auth::Resolve() mapped to Storage's answers. A bad or
// expired bearer is a 403-class AccessDenied carrying the JWT library's words ("jwt expired"),
// except in lenient mode (the plain download route), where it counts as anon, as in Supabase.
// Pure: the caller passes headers, secret and time; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "storage/principal.h"

namespace ib::files {

enum class AuthMode { kStrict, kLenient };

storage::Principal StoragePrincipal(std::optional<std::string_view> authorization,
                                    std::optional<std::string_view> apikey, std::string_view secret,
                                    int64_t now, AuthMode mode);

}  // namespace ib::files
