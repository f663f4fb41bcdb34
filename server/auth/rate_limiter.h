// RateLimiter: at most `limit` events per key in a fixed window of `window_seconds`, counted in
// memory (per process; a restart forgets). A window opens at a key's first event and closes
// `window_seconds` later, so a burst straddling two windows can reach 2x the limit (accepted:
// it is a brake on guessing, not an exact quota). limit 0 = unlimited. Keys are kept only as
// their KeyedDigest (16 bytes whatever the key's length), closed windows are swept by time,
// and the table holds at most kMaxKeys digests. Thread-safe; the caller passes the clock.
// AuthLimits groups the brakes of /auth/v1.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/auth/keyed_digest.h"

namespace ib::auth {

class RateLimiter {
 public:
  // Most keys tracked at once (~64 bytes each). When the table is full after sweeping closed
  // windows, events of new keys go uncounted (fail open) while tracked keys keep their counts;
  // filling it takes that many distinct keys within one window.
  static constexpr size_t kMaxKeys = 1 << 18;

  RateLimiter(int64_t limit, int64_t window_seconds);

  // Counts one event for `key` unless the key already has `limit` events in its window;
  // returns false (counting nothing) in that case.
  bool TryAcquire(std::string_view key, int64_t now_seconds);
  // True when `key` has reached the limit in its current window. Counts nothing.
  bool Exhausted(std::string_view key, int64_t now_seconds) const;
  // Counts one event without checking (e.g. a failed sign-in, after the fact).
  void Record(std::string_view key, int64_t now_seconds);

  int64_t limit() const { return limit_; }
  size_t TEST_KeyCount() const;

 private:
  struct Window {
    int64_t start = 0;  // unix seconds of the window's first event
    int64_t count = 0;
  };

  // Count for `key` in its current window (0 when the window has closed). mutex_ held.
  int64_t CountLocked(const Digest& key, int64_t now_seconds) const;
  void RecordLocked(const Digest& key, int64_t now_seconds);
  // Drops closed windows once per window length, or early when the table is full.
  void MaybeSweepLocked(int64_t now_seconds, bool full);

  const int64_t limit_;
  const int64_t window_seconds_;
  mutable std::mutex mutex_;  // guards windows_ and last_sweep_
  std::unordered_map<Digest, Window, DigestHash> windows_;
  int64_t last_sweep_ = 0;
};

// The key a client address is counted under: an IPv4 address as is, an IPv6 address as its /64
// prefix (one host or site commonly holds a whole /64, so per-/128 counting would be no brake);
// an IPv4-mapped IPv6 address as the IPv4 address. Anything unparsable is returned unchanged.
std::string ClientAddressKey(std::string_view peer_address);

// The abuse brakes of /auth/v1 (429 over_request_rate_limit), each per 5 minutes; values and
// flags in docs/limits.md. Failed sign-ins count per (email, client address), so guesses from
// one address never lock the owner out at another; per client address; and per email from all
// addresses, a ceiling far above what a person types.
struct AuthLimits {
  static constexpr int64_t kWindowSeconds = 300;
  RateLimiter failed_signins_per_email_address;
  RateLimiter failed_signins_per_ip;
  RateLimiter failed_signins_per_account;
  RateLimiter signups_per_ip;
  RateLimiter refreshes_per_ip;

  AuthLimits(int64_t per_email_address, int64_t per_ip, int64_t per_account, int64_t signups,
             int64_t refreshes)
      : failed_signins_per_email_address(per_email_address, kWindowSeconds),
        failed_signins_per_ip(per_ip, kWindowSeconds),
        failed_signins_per_account(per_account, kWindowSeconds),
        signups_per_ip(signups, kWindowSeconds),
        refreshes_per_ip(refreshes, kWindowSeconds) {}
};

}  // namespace ib::auth
