#include "server/auth/token_cache.h"

#include <array>
#include <cmath>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "server/auth/keyed_digest.h"

namespace ib::auth {
namespace {

// Shards: two lookups per request (apikey, bearer) from every worker; with 16 locks two cores
// rarely meet on one.
constexpr size_t kShards = 16;
constexpr size_t kShardBytes = kTokenCacheBytes / kShards;

// The claims' parsed tree costs a few times their text, which is 3/4 of the token's length;
// the map node and principal add a fixed part.
size_t EntryCost(std::string_view token) { return 4 * token.size() + 256; }

struct Entry {
  std::shared_ptr<const CachedPrincipal> value;
  size_t cost = 0;
};

struct Shard {
  std::mutex mu;
  std::unordered_map<Digest, Entry, DigestHash> entries;
  size_t bytes = 0;  // sum of the entries' costs
};

std::array<Shard, kShards>& Shards() {
  // Never destroyed: a thread still answering at exit must not find it gone.
  static auto* shards = new std::array<Shard, kShards>;
  return *shards;
}

Shard& ShardOf(const Digest& key) {
  // The digest's bytes are uniformly random: its last byte picks the shard, its first ones
  // (DigestHash) the bucket.
  return Shards()[key.back() % kShards];
}

// A numeric `exp` claim as whole seconds, saturated to int64: a signed token may carry any JSON
// number (1e300, 2^64), and converting an out-of-range double is undefined behaviour. Rounds
// down, so `exp <= now` answers as VerifyHs256 does for fractional values.
int64_t ExpSeconds(const nlohmann::json& exp) {
  constexpr auto kMax = std::numeric_limits<int64_t>::max();
  if (exp.is_number_unsigned()) {
    return exp.get<uint64_t>() > static_cast<uint64_t>(kMax) ? kMax : exp.get<int64_t>();
  }
  if (exp.is_number_integer()) return exp.get<int64_t>();
  const double d = std::floor(exp.get<double>());
  if (d >= 0x1p63) return kMax;
  if (d < -0x1p63) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

}  // namespace

std::shared_ptr<const CachedPrincipal> FindVerifiedToken(std::string_view token,
                                                         std::string_view secret, int64_t now) {
  const Digest key = KeyedDigest({secret, token});
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return nullptr;
  const auto& exp = it->second.value->exp;
  if (exp && *exp <= now) {
    shard.bytes -= it->second.cost;
    shard.entries.erase(it);
    return nullptr;
  }
  return it->second.value;
}

void RememberVerifiedToken(std::string_view token, std::string_view secret,
                           const storage::Principal& principal) {
  const size_t cost = EntryCost(token);
  if (cost > kShardBytes) return;
  auto value = std::make_shared<CachedPrincipal>();
  auto exp = principal.claims.find("exp");
  if (exp != principal.claims.end() && exp->is_number()) value->exp = ExpSeconds(*exp);
  value->principal = principal;
  const Digest key = KeyedDigest({secret, token});
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (auto old = shard.entries.find(key); old != shard.entries.end()) {
    shard.bytes -= old->second.cost;  // the same token verified twice at once: keep one
    shard.entries.erase(old);
  }
  // Full: drop entries in the map's order, which follows the keys' random digests, so no
  // client can choose whose tokens go.
  while (shard.bytes + cost > kShardBytes && !shard.entries.empty()) {
    shard.bytes -= shard.entries.begin()->second.cost;
    shard.entries.erase(shard.entries.begin());
  }
  shard.entries.emplace(key, Entry{std::move(value), cost});
  shard.bytes += cost;
}

size_t TEST_TokenCacheBytes() {
  size_t bytes = 0;
  for (Shard& shard : Shards()) {
    std::lock_guard<std::mutex> lock(shard.mu);
    bytes += shard.bytes;
  }
  return bytes;
}

size_t TEST_TokenCacheEntries() {
  size_t entries = 0;
  for (Shard& shard : Shards()) {
    std::lock_guard<std::mutex> lock(shard.mu);
    entries += shard.entries.size();
  }
  return entries;
}

void TEST_ClearTokenCache() {
  for (Shard& shard : Shards()) {
    std::lock_guard<std::mutex> lock(shard.mu);
    shard.entries.clear();
    shard.bytes = 0;
  }
}

}  // namespace ib::auth
