// HS256 JSON Web Tokens: signing and verification with OpenSSL HMAC-SHA256.
// Tokens are pinned to HS256 (RFC 8725): any other header `alg` is refused whatever its
// signature. Signature comparison is constant-time. `exp` has no leeway. Pure and
// thread-safe: the caller passes the secret and the current time.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ib::auth {

enum class JwtFailure {
  kMalformed,     // not three base64url parts, or header/payload not JSON objects
  kBadAlgorithm,  // header alg missing or not "HS256"
  kBadSignature,  // HMAC does not match
  kExpired,       // exp present and exp <= now
};

struct JwtResult {
  std::optional<JwtFailure> failure;  // unset = valid
  std::string message;  // human-readable reason (e.g. "Expected 3 parts in JWT; got 2")
  // Payload object when valid. value_t::null, not `{}`, so the implicit default constructor
  // is not noexcept on the strength of json's noexcept null constructor (see Principal).
  nlohmann::json claims = nlohmann::json::value_t::null;
  bool ok() const { return !failure.has_value(); }
};

// Signs `claims` (a JSON object) with header {"alg":"HS256","typ":"JWT"}.
std::string SignHs256(const nlohmann::json& claims, std::string_view secret);

// Verifies `token` against `secret` at unix time `now` (seconds).
JwtResult VerifyHs256(std::string_view token, std::string_view secret, int64_t now);

// base64url without padding, as JWTs use; Decode returns nullopt on bad input.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace ib::auth
