// How Realtime judges a token: the socket's `apikey`, a channel's `access_token`, the bearer of
// a REST broadcast. As REST verifies a bearer (HS256 with the project secret, no `exp` leeway,
// role anon/authenticated/service_role), and as Realtime also requires the `role` and `exp`
// claims. The failure texts are Realtime's, which clients show. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/principal.h"

namespace ib::realtime {

struct TokenCheck {
  std::optional<storage::Principal> principal;  // set when the token is good
  int64_t expires_at = 0;                       // its `exp` (Unix seconds)
  // When refused: Realtime's error code ("InvalidJWTToken", "MalformedJWT", ...) and message
  // ("Token has expired 12 seconds ago").
  std::string code;
  std::string message;
  bool ok() const { return principal.has_value(); }
  // "<code>: <message>", the reason of a refused join.
  std::string reason() const { return code + ": " + message; }
};

TokenCheck CheckToken(std::string_view token, std::string_view secret, int64_t now);

}  // namespace ib::realtime
