#include "server/http/ip_connection_cap.h"

#include <utility>

namespace ib::http {

void IpConnectionCap::Release(const std::string& ip) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(ip);
  if (it == open_.end()) return;
  if (--it->second <= 0) open_.erase(it);
}

AddressPlace IpConnectionCap::TryHold(const std::string& ip) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    int& n = open_[ip];
    if (max_ > 0 && n >= max_) return nullptr;  // n > 0 here: the entry was already there
    ++n;
  }
  class Place {
   public:
    Place(std::shared_ptr<IpConnectionCap> cap, std::string ip)
        : cap_(std::move(cap)), ip_(std::move(ip)) {}
    Place(const Place&) = delete;
    Place& operator=(const Place&) = delete;
    ~Place() { cap_->Release(ip_); }

   private:
    std::shared_ptr<IpConnectionCap> cap_;
    std::string ip_;
  };
  return std::make_shared<const Place>(shared_from_this(), ip);
}

int IpConnectionCap::OpenConnections(const std::string& ip) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(ip);
  return it == open_.end() ? 0 : it->second;
}

}  // namespace ib::http
