// Signed URLs (docs/wire.md): an HS256 token with claims {"url":"<bucket>/<key>","iat",
// "exp"} signed with the server secret, and the raw (not percent-encoded) "/object/sign/..."
// path the client expects. Verification checks signature, expiry and that `url` names exactly
// the requested object. Pure: the caller passes secret and time; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/auth/jwt.h"

namespace ib::files {

inline constexpr int64_t kMaxSignedUrlSeconds = 10LL * 365 * 24 * 3600;

std::string SignObjectToken(std::string_view bucket, std::string_view key, int64_t expires_in,
                            std::string_view secret, int64_t now);

// "/object/sign/<bucket>/<key>?token=<token>", bucket and key raw.
std::string SignedUrlPath(std::string_view bucket, std::string_view key, std::string_view token);

// Throws InvalidJWT ("jwt expired", "invalid signature", ...) or InvalidSignature (the token
// names another object).
void VerifyObjectToken(std::string_view token, std::string_view bucket, std::string_view key,
                       std::string_view secret, int64_t now);

// The words of node's jsonwebtoken library, which Supabase Storage reports.
std::string JwtLibraryMessage(auth::JwtFailure failure);

}  // namespace ib::files
