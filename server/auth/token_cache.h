// TokenCache: verified tokens shared by every thread of the process. A token's principal is a
// pure function of its bytes and the secret, so a hit skips base64, HMAC and JSON parsing
// (about 50,000 instructions); only `exp` must be checked again. Shared, not per thread: a
// worker pool of 16+ threads serves a user's requests on whichever worker is free, and with
// one cache per thread each token was verified again on each worker that first saw it (with
// many users, a paced client's every request missed). Keyed by a keyed digest of (secret,
// token), so neither is kept. Split into shards, each under its own lock and bounded by an
// estimate of its bytes; a full shard drops entries of its own to make room
// (docs/limits.md). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "storage/principal.h"

namespace ib::auth {

// Most bytes (estimated: 4 x token length + 256 bytes per entry) the cache holds.
constexpr size_t kTokenCacheBytes = size_t{16} << 20;

struct CachedPrincipal {
  std::optional<int64_t> exp;  // the token's `exp` in whole seconds, when it has one
  storage::Principal principal;
};

// The principal of `token` under `secret` if it was remembered and has not expired by `now`
// (an expired entry is dropped, so the caller verifies again and gets the proper refusal).
std::shared_ptr<const CachedPrincipal> FindVerifiedToken(std::string_view token,
                                                         std::string_view secret, int64_t now);

// Remembers a verified token's principal (a token larger than a shard's budget is not kept).
void RememberVerifiedToken(std::string_view token, std::string_view secret,
                           const storage::Principal& principal);

// The cache's estimated bytes and entries, and emptying it (tests).
size_t TEST_TokenCacheBytes();
size_t TEST_TokenCacheEntries();
void TEST_ClearTokenCache();

}  // namespace ib::auth
