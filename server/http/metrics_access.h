// Who may read GET /metrics without a key. A scrape that sends no credential at all (no apikey,
// no Authorization) is let in when it comes from a loopback address (127.0.0.0/8, ::1, or
// IPv4-mapped 127.x) and carries none of the headers a reverse proxy adds (X-Forwarded-For,
// Forwarded, X-Real-IP), so a proxy on the same host does not open it to everyone it serves.
// Any other scrape needs the service_role key (docs/wire.md, "Metrics"). Pure.
#pragma once

#include <string_view>

namespace ib::http {

bool IsLoopbackAddress(std::string_view ip);

// Whether the scrape may go on without a key.
bool KeylessScrapeAllowed(std::string_view peer_ip, bool sent_credentials, bool proxied);

}  // namespace ib::http
