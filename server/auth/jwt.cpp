#include "server/auth/jwt.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <stdexcept>
#include <string>
#include <utility>

#include "storage/json_input.h"

namespace ib::auth {
namespace {

using nlohmann::json;

// Real access tokens are well under 2 KiB; refusing anything over 16 KiB bounds the work an
// unauthenticated caller can make us do (base64 decoding, JSON parsing) before the HMAC check.
constexpr size_t kMaxTokenBytes = size_t{16} * 1024;
constexpr size_t kSha256Bytes = 32;

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Value of a base64url character, or -1. '=' is not in the alphabet: JWS (RFC 7515, section 2)
// strips padding, and refusing it keeps one token = one spelling.
int DecodeChar(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

using Sha256Digest = std::array<unsigned char, kSha256Bytes>;

// HMAC-SHA256 of `data`; nullopt only if OpenSSL fails (allocation). OpenSSL 3's one-shot
// HMAC() looks the algorithm up and builds a context on every call (1.2 us for a token here); a
// request whose token misses the token cache (authenticate.cpp) pays that on every verification. So
// each thread keeps one HMAC context keyed with the last secret it used, and re-initialises
// it with the same key (0.3 us), or keys it afresh when the secret differs.
std::optional<Sha256Digest> HmacSha256(std::string_view key, std::string_view data) {
  static EVP_MAC* const kHmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  struct ThreadContext {
    EVP_MAC_CTX* ctx = nullptr;
    std::string key;  // the key `ctx` holds (meaningful only when `keyed`)
    bool keyed = false;
    ~ThreadContext() { EVP_MAC_CTX_free(ctx); }
  };
  thread_local ThreadContext t;
  if (kHmac == nullptr) return std::nullopt;
  if (t.ctx == nullptr) {
    t.ctx = EVP_MAC_CTX_new(kHmac);
    if (t.ctx == nullptr) return std::nullopt;
  }
  // A key pointer must not be null to key the context: HMAC takes null as "keep the key".
  static const unsigned char kEmpty[1] = {0};
  bool ok = false;
  if (t.keyed && t.key == key) {
    ok = EVP_MAC_init(t.ctx, nullptr, 0, nullptr) == 1;  // same key: start over
  } else {
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    const auto* key_ptr = key.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    t.keyed = false;
    ok = EVP_MAC_init(t.ctx, key_ptr, key.size(), params) == 1;
    if (ok) {
      t.key.assign(key);
      t.keyed = true;
    }
  }
  const auto* data_ptr =
      data.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(data.data());
  Sha256Digest out{};
  size_t out_len = 0;
  if (!ok || EVP_MAC_update(t.ctx, data_ptr, data.size()) != 1 ||
      EVP_MAC_final(t.ctx, out.data(), &out_len, out.size()) != 1 || out_len != kSha256Bytes) {
    t.keyed = false;  // a failed context is keyed afresh next time
    return std::nullopt;
  }
  return out;
}

JwtResult Fail(JwtFailure failure, std::string message) {
  JwtResult result;
  result.failure = failure;
  result.message = std::move(message);
  return result;
}

// Decodes one base64url part and parses it as a JSON object.
std::optional<json> DecodeObject(std::string_view part) {
  std::optional<std::string> text = Base64UrlDecode(part);
  if (!text) return std::nullopt;
  // Read before the signature is checked: nesting is bounded like every client JSON input.
  storage::ClientJson parsed = storage::ParseClientJson(*text);
  if (!parsed.ok() || !parsed.value.is_object()) return std::nullopt;
  return std::move(parsed.value);
}

// True when `exp` (a JSON number) is at or before `now`. Compares without converting large
// unsigned values to int64 so an absurd exp cannot wrap into the past.
bool ExpiredAt(const json& exp, int64_t now) {
  if (exp.is_number_unsigned()) {
    return now >= 0 && exp.get<uint64_t>() <= static_cast<uint64_t>(now);
  }
  if (exp.is_number_integer()) return exp.get<int64_t>() <= now;
  return exp.get<double>() <= static_cast<double>(now);
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (rest == 2) {
    uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  // Unpadded base64 never leaves one character over: 4k+1 characters cannot be produced.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = DecodeChar(static_cast<unsigned char>(c));
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Leftover bits must be zero, or two spellings ("AA" and "AB") would decode to the same byte
  // and a signature could be altered without changing what it decodes to.
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string SignHs256(const nlohmann::json& claims, std::string_view secret) {
  std::string signing_input = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})");
  signing_input += '.';
  signing_input += Base64UrlEncode(claims.dump());
  std::optional<Sha256Digest> mac = HmacSha256(secret, signing_input);
  if (!mac) throw std::runtime_error("HMAC-SHA256 failed");
  std::string token = std::move(signing_input);
  token += '.';
  token +=
      Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac->data()), mac->size()));
  return token;
}

JwtResult VerifyHs256(std::string_view token, std::string_view secret, int64_t now) {
  if (token.size() > kMaxTokenBytes) return Fail(JwtFailure::kMalformed, "JWT too large");

  size_t parts = 1;
  for (char c : token) parts += (c == '.') ? 1 : 0;
  if (parts != 3) {
    // PostgREST's wording, which clients and tests match on.
    return Fail(JwtFailure::kMalformed, "Expected 3 parts in JWT; got " + std::to_string(parts));
  }
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.find('.', dot1 + 1);
  const std::string_view header_b64 = token.substr(0, dot1);
  const std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_b64 = token.substr(dot2 + 1);

  std::optional<json> header = DecodeObject(header_b64);
  if (!header) return Fail(JwtFailure::kMalformed, "JWT header is not a base64url JSON object");
  std::optional<json> payload = DecodeObject(payload_b64);
  if (!payload) return Fail(JwtFailure::kMalformed, "JWT payload is not a base64url JSON object");

  // Pin the algorithm before touching the signature (RFC 8725, section 3.1): "none", "HS384",
  // "RS256" and friends are refused whatever the third part holds.
  auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string() || alg->get_ref<const std::string&>() != "HS256") {
    return Fail(JwtFailure::kBadAlgorithm, "Wrong or unsupported encoding algorithm");
  }

  std::optional<std::string> signature = Base64UrlDecode(signature_b64);
  if (!signature) return Fail(JwtFailure::kMalformed, "JWT signature is not base64url");
  std::optional<Sha256Digest> expected = HmacSha256(secret, token.substr(0, dot2));
  if (!expected || signature->size() != kSha256Bytes ||
      CRYPTO_memcmp(signature->data(), expected->data(), kSha256Bytes) != 0) {
    return Fail(JwtFailure::kBadSignature, "JWSInvalidSignature");
  }

  auto exp = payload->find("exp");
  if (exp != payload->end()) {
    if (!exp->is_number()) return Fail(JwtFailure::kMalformed, "JWT claim exp is not a number");
    // No leeway: PostgREST answers PGRST303 once exp <= now.
    if (ExpiredAt(*exp, now)) return Fail(JwtFailure::kExpired, "JWT expired");
  }

  JwtResult result;
  result.claims = std::move(*payload);
  return result;
}

}  // namespace ib::auth
