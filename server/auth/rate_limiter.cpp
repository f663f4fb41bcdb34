#include "server/auth/rate_limiter.h"

namespace ib::auth {
namespace {

// Sweep after this many events: cheap amortised (one pass per 4096 events) and bounds the map
// to roughly the keys seen in one window plus 4096.
constexpr int64_t kSweepEvery = 4096;

}  // namespace

RateLimiter::RateLimiter(int64_t limit, int64_t window_seconds)
    : limit_(limit), window_seconds_(window_seconds > 0 ? window_seconds : 1) {}

int64_t RateLimiter::CountLocked(const std::string& key, int64_t now_seconds) const {
  auto it = windows_.find(key);
  if (it == windows_.end()) return 0;
  if (now_seconds >= it->second.start + window_seconds_) return 0;  // window closed
  return it->second.count;
}

void RateLimiter::RecordLocked(const std::string& key, int64_t now_seconds) {
  Window& w = windows_[key];
  if (w.count == 0 || now_seconds >= w.start + window_seconds_) {
    w.start = now_seconds;
    w.count = 0;
  }
  ++w.count;
  MaybeSweepLocked(now_seconds);
}

void RateLimiter::MaybeSweepLocked(int64_t now_seconds) {
  if (++events_since_sweep_ < kSweepEvery) return;
  events_since_sweep_ = 0;
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now_seconds >= it->second.start + window_seconds_) {
      it = windows_.erase(it);
    } else {
      ++it;
    }
  }
}

bool RateLimiter::TryAcquire(const std::string& key, int64_t now_seconds) {
  if (limit_ <= 0) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  if (CountLocked(key, now_seconds) >= limit_) return false;
  RecordLocked(key, now_seconds);
  return true;
}

bool RateLimiter::Exhausted(const std::string& key, int64_t now_seconds) const {
  if (limit_ <= 0) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  return CountLocked(key, now_seconds) >= limit_;
}

void RateLimiter::Record(const std::string& key, int64_t now_seconds) {
  if (limit_ <= 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  RecordLocked(key, now_seconds);
}

size_t RateLimiter::TEST_KeyCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return windows_.size();
}

}  // namespace ib::auth
