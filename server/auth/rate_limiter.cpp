#include "server/auth/rate_limiter.h"

#include <arpa/inet.h>

#include <cstring>

namespace ib::auth {

RateLimiter::RateLimiter(int64_t limit, int64_t window_seconds)
    : limit_(limit), window_seconds_(window_seconds > 0 ? window_seconds : 1) {}

int64_t RateLimiter::CountLocked(const Digest& key, int64_t now_seconds) const {
  auto it = windows_.find(key);
  if (it == windows_.end()) return 0;
  if (now_seconds >= it->second.start + window_seconds_) return 0;  // window closed
  return it->second.count;
}

void RateLimiter::RecordLocked(const Digest& key, int64_t now_seconds) {
  MaybeSweepLocked(now_seconds, windows_.size() >= kMaxKeys);
  auto it = windows_.find(key);
  if (it == windows_.end()) {
    if (windows_.size() >= kMaxKeys) return;  // full of open windows: fail open (header)
    it = windows_.emplace(key, Window{now_seconds, 0}).first;
  }
  Window& w = it->second;
  if (w.count == 0 || now_seconds >= w.start + window_seconds_) {
    w.start = now_seconds;
    w.count = 0;
  }
  ++w.count;
}

void RateLimiter::MaybeSweepLocked(int64_t now_seconds, bool full) {
  // Once per window length, so the table holds about the keys of the last two windows; when
  // full, at most once a second, so a full table of open windows costs no pass per event.
  const int64_t every = full ? 1 : window_seconds_;
  if (now_seconds < last_sweep_ + every) return;
  last_sweep_ = now_seconds;
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now_seconds >= it->second.start + window_seconds_) {
      it = windows_.erase(it);
    } else {
      ++it;
    }
  }
}

bool RateLimiter::TryAcquire(std::string_view key, int64_t now_seconds) {
  if (limit_ <= 0) return true;
  const Digest d = KeyedDigest({key});
  std::lock_guard<std::mutex> lock(mutex_);
  if (CountLocked(d, now_seconds) >= limit_) return false;
  RecordLocked(d, now_seconds);
  return true;
}

bool RateLimiter::Exhausted(std::string_view key, int64_t now_seconds) const {
  if (limit_ <= 0) return false;
  const Digest d = KeyedDigest({key});
  std::lock_guard<std::mutex> lock(mutex_);
  return CountLocked(d, now_seconds) >= limit_;
}

void RateLimiter::Record(std::string_view key, int64_t now_seconds) {
  if (limit_ <= 0) return;
  const Digest d = KeyedDigest({key});
  std::lock_guard<std::mutex> lock(mutex_);
  RecordLocked(d, now_seconds);
}

std::string ClientAddressKey(std::string_view peer_address) {
  std::string text(peer_address);
  unsigned char v6[16];
  if (inet_pton(AF_INET6, text.c_str(), v6) != 1) return text;  // IPv4 (or not an address)
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char out[INET6_ADDRSTRLEN];
  if (std::memcmp(v6, kMapped, sizeof kMapped) == 0) {
    return inet_ntop(AF_INET, v6 + 12, out, sizeof out) ? std::string(out) : text;
  }
  std::memset(v6 + 8, 0, 8);
  if (!inet_ntop(AF_INET6, v6, out, sizeof out)) return text;
  return std::string(out) + "/64";
}

size_t RateLimiter::TEST_KeyCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return windows_.size();
}

}  // namespace ib::auth
