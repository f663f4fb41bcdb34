#include "server/http/metrics_access.h"

namespace ib::http {

bool IsLoopbackAddress(std::string_view ip) {
  constexpr std::string_view kMapped = "::ffff:";
  if (ip.substr(0, kMapped.size()) == kMapped) ip.remove_prefix(kMapped.size());
  if (ip == "::1") return true;
  // 127.0.0.0/8 in the dotted form the socket layer writes.
  if (ip.substr(0, 4) != "127.") return false;
  int dots = 0;
  for (char c : ip) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

bool KeylessScrapeAllowed(std::string_view peer_ip, bool sent_credentials, bool proxied) {
  return !sent_credentials && !proxied && IsLoopbackAddress(peer_ip);
}

}  // namespace ib::http
