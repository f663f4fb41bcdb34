#include "server/files/signed_urls.h"

#include "server/files/file_errors.h"

namespace ib::files {

std::string JwtLibraryMessage(auth::JwtFailure failure) {
  switch (failure) {
    case auth::JwtFailure::kExpired:
      return "jwt expired";
    case auth::JwtFailure::kBadSignature:
      return "invalid signature";
    case auth::JwtFailure::kBadAlgorithm:
      return "invalid algorithm";
    case auth::JwtFailure::kMalformed:
      return "jwt malformed";
  }
  return "invalid token";
}

std::string SignObjectToken(std::string_view bucket, std::string_view key, int64_t expires_in,
                            std::string_view secret, int64_t now) {
  nlohmann::json claims = {{"url", std::string(bucket) + "/" + std::string(key)},
                           {"iat", now},
                           {"exp", now + expires_in}};
  return auth::SignHs256(claims, secret);
}

std::string SignedUrlPath(std::string_view bucket, std::string_view key, std::string_view token) {
  std::string out = "/object/sign/";
  out.append(bucket).append("/").append(key).append("?token=").append(token);
  return out;
}

void VerifyObjectToken(std::string_view token, std::string_view bucket, std::string_view key,
                       std::string_view secret, int64_t now) {
  if (token.empty())
    throw errors::MissingParameter("querystring must have required property 'token'");
  auth::JwtResult jwt = auth::VerifyHs256(token, secret, now);
  if (!jwt.ok()) throw errors::InvalidJwt(JwtLibraryMessage(*jwt.failure));
  auto url = jwt.claims.find("url");
  const std::string expected = std::string(bucket) + "/" + std::string(key);
  if (url == jwt.claims.end() || !url->is_string() || url->get<std::string>() != expected) {
    throw errors::InvalidSignature();
  }
}

}  // namespace ib::files
