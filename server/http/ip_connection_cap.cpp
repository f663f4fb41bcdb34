#include "server/http/ip_connection_cap.h"

namespace ib::http {

bool IpConnectionCap::TryAcquire(const std::string& ip) {
  std::lock_guard<std::mutex> lock(mu_);
  int& n = open_[ip];
  if (max_ > 0 && n >= max_) {
    if (n == 0) open_.erase(ip);
    return false;
  }
  ++n;
  return true;
}

void IpConnectionCap::Release(const std::string& ip) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(ip);
  if (it == open_.end()) return;
  if (--it->second <= 0) open_.erase(it);
}

int IpConnectionCap::OpenConnections(const std::string& ip) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(ip);
  return it == open_.end() ? 0 : it->second;
}

}  // namespace ib::http
