#include "server/auth/tokens.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "server/auth/jwt.h"
#include "server/auth/passwords.h"
#include "server/auth/sodium_init.h"

namespace ib::auth {
namespace {

// 24 random bytes: 192 bits, 32 base64url characters.
constexpr size_t kRefreshTokenBytes = 24;
constexpr std::string_view kSealContext = "interviewbase refresh-token seal";

// Key = BLAKE2b(parent token) keyed with a fixed context, so the key differs from the stored
// SHA-256 of the parent: the database alone never opens a seal.
std::vector<unsigned char> SealKey(std::string_view parent) {
  std::vector<unsigned char> key(crypto_secretbox_KEYBYTES);
  crypto_generichash(key.data(), key.size(), reinterpret_cast<const unsigned char*>(parent.data()),
                     parent.size(), reinterpret_cast<const unsigned char*>(kSealContext.data()),
                     kSealContext.size());
  return key;
}

}  // namespace

nlohmann::json AccessTokenClaims(const UserRecord& user, std::string_view session_id,
                                 int64_t signed_in_at, int64_t now_seconds, int64_t expiry_seconds,
                                 std::string_view issuer) {
  return {{"aud", "authenticated"},
          {"exp", now_seconds + expiry_seconds},
          {"iat", now_seconds},
          {"iss", issuer},
          {"sub", user.id},
          {"email", user.email},
          {"phone", user.phone},
          {"app_metadata", user.app_metadata},
          {"user_metadata", user.user_metadata},
          {"role", user.role},
          {"aal", "aal1"},
          {"amr", {{{"method", "password"}, {"timestamp", signed_in_at}}}},
          {"session_id", session_id},
          {"is_anonymous", false}};
}

AccessToken IssueAccessToken(const nlohmann::json& claims, std::string_view secret) {
  AccessToken out;
  out.token = SignHs256(claims, secret);
  out.issued_at = claims.at("iat").get<int64_t>();
  out.expires_at = claims.at("exp").get<int64_t>();
  return out;
}

nlohmann::json SessionJson(const AccessToken& access, std::string_view refresh_token,
                           nlohmann::json user) {
  return {{"access_token", access.token},
          {"token_type", "bearer"},
          {"expires_in", access.expires_at - access.issued_at},
          {"expires_at", access.expires_at},
          {"refresh_token", refresh_token},
          {"user", std::move(user)}};
}

std::string NewRefreshToken() { return RandomToken(kRefreshTokenBytes); }

std::string HashRefreshToken(std::string_view token) { return Sha256Hex(token); }

RefreshDecision DecideRefresh(const RefreshTokenState& presented,
                              const std::optional<RefreshTokenState>& active, int64_t now_micros,
                              int64_t reuse_interval_seconds) {
  if (!presented.revoked) return RefreshDecision::kRotate;
  // Past the interval every revoked token is reuse (400 refresh_token_already_used), even the
  // active token's parent: GoTrue would hand the active token back forever, which lets a
  // stolen parent token be replayed until the real client refreshes twice.
  const int64_t reuse_until = presented.revoked_at_micros + reuse_interval_seconds * 1'000'000;
  if (now_micros > reuse_until) return RefreshDecision::kAlreadyUsed;
  // Lost response: the client refreshed but never stored the answer; give it that answer.
  if (active && !active->revoked && active->parent_hash == presented.hash) {
    return RefreshDecision::kReturnActive;
  }
  // Concurrent refreshes (tabs, retries) may present a just-rotated token: allowed briefly.
  return RefreshDecision::kRotate;
}

std::string SealForChild(std::string_view parent, std::string_view child) {
  EnsureSodium();
  std::vector<unsigned char> key = SealKey(parent);
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 child.size());
  unsigned char* nonce = box.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(child.data()), child.size(), nonce,
                        key.data());
  sodium_memzero(key.data(), key.size());
  std::string hex(box.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), box.data(), box.size());
  hex.pop_back();  // the terminating NUL
  return hex;
}

std::optional<std::string> UnsealWithParent(std::string_view parent, std::string_view sealed) {
  EnsureSodium();
  std::vector<unsigned char> box(sealed.size() / 2 + 1);
  size_t len = 0;
  if (sodium_hex2bin(box.data(), box.size(), sealed.data(), sealed.size(), nullptr, &len,
                     nullptr) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  const unsigned char* nonce = box.data();
  const size_t cipher_len = len - crypto_secretbox_NONCEBYTES;
  std::string child(cipher_len - crypto_secretbox_MACBYTES, '\0');
  std::vector<unsigned char> key = SealKey(parent);
  int rc = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(child.data()),
                                      nonce + crypto_secretbox_NONCEBYTES, cipher_len, nonce,
                                      key.data());
  sodium_memzero(key.data(), key.size());
  if (rc != 0) return std::nullopt;
  return child;
}

}  // namespace ib::auth
