// RateLimiter: at most `limit` events per key in a fixed window of `window_seconds`, counted in
// memory (per process; a restart forgets). A window opens at a key's first event and closes
// `window_seconds` later, so a burst straddling two windows can reach 2x the limit (accepted:
// it is a brake on guessing, not an exact quota). limit 0 = unlimited. Thread-safe; the caller
// passes the clock. AuthLimits groups the four brakes of /auth/v1.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ib::auth {

class RateLimiter {
 public:
  RateLimiter(int64_t limit, int64_t window_seconds);

  // Counts one event for `key` unless the key already has `limit` events in its window;
  // returns false (counting nothing) in that case.
  bool TryAcquire(const std::string& key, int64_t now_seconds);
  // True when `key` has reached the limit in its current window. Counts nothing.
  bool Exhausted(const std::string& key, int64_t now_seconds) const;
  // Counts one event without checking (e.g. a failed sign-in, after the fact).
  void Record(const std::string& key, int64_t now_seconds);

  int64_t limit() const { return limit_; }
  size_t TEST_KeyCount() const;

 private:
  struct Window {
    int64_t start = 0;  // unix seconds of the window's first event
    int64_t count = 0;
  };
  // Count for `key` in its current window (0 when the window has closed). mutex_ held.
  int64_t CountLocked(const std::string& key, int64_t now_seconds) const;
  void RecordLocked(const std::string& key, int64_t now_seconds);
  // Drops closed windows now and then, so memory follows the keys active in one window.
  void MaybeSweepLocked(int64_t now_seconds);

  const int64_t limit_;
  const int64_t window_seconds_;
  mutable std::mutex mutex_;  // guards windows_ and events_since_sweep_
  std::unordered_map<std::string, Window> windows_;
  int64_t events_since_sweep_ = 0;
};

// The abuse brakes of /auth/v1 (429 over_request_rate_limit), each per 5 minutes;
// values and flags in docs/limits.md.
struct AuthLimits {
  static constexpr int64_t kWindowSeconds = 300;
  RateLimiter failed_signins_per_email;
  RateLimiter failed_signins_per_ip;
  RateLimiter signups_per_ip;
  RateLimiter refreshes_per_ip;

  AuthLimits(int64_t per_email, int64_t per_ip, int64_t signups, int64_t refreshes)
      : failed_signins_per_email(per_email, kWindowSeconds),
        failed_signins_per_ip(per_ip, kWindowSeconds),
        signups_per_ip(signups, kWindowSeconds),
        refreshes_per_ip(refreshes, kWindowSeconds) {}
};

}  // namespace ib::auth
