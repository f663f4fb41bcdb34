// RequestClock: the one instant a request runs at. It is read once where the request enters
// (server/http's Wrap()) and passed down, so every row a request stamps, every token it issues
// and every expiry it checks agree on "now"; nothing else on a request path reads the clock.
#pragma once

#include <cstdint>

namespace ib::storage {

struct RequestClock {
  int64_t now_micros = 0;  // microseconds since the Unix epoch, UTC

  int64_t now_seconds() const { return now_micros / 1'000'000; }
  // Reads the system clock; call once per request (or per background job).
  static RequestClock Now();
};

}  // namespace ib::storage
