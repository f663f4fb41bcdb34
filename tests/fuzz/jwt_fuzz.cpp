// libFuzzer target: the JWT parser and verifier (server/auth/jwt.h) and the credential gate that
// reads its claims (server/auth/authenticate.h). The first byte picks the shape:
//   even: the rest is a raw token, as any client may send it;
//   odd:  the rest is `header JSON \n payload JSON`, signed here with the server's secret, so
//         the claim checks behind the signature (alg, exp, role, sub) are reached too.
// Verification never throws; the REST gate refuses with a 4xx storage::Error only; base64url
// decoding inverts encoding.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/auth/authenticate.h"
#include "server/auth/jwt.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

constexpr std::string_view kSecret = "fuzz-secret-at-least-32-characters-long";
constexpr int64_t kNow = 1700000000;

std::string SignRaw(std::string_view header, std::string_view payload) {
  std::string token = ib::auth::Base64UrlEncode(header) + "." + ib::auth::Base64UrlEncode(payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(token.data()), token.size(), mac, &mac_len);
  token += "." +
           ib::auth::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
  return token;
}

void CheckToken(const std::string& token) {
  ib::auth::JwtResult result = ib::auth::VerifyHs256(token, kSecret, kNow);
  ib::fuzz::Check(!result.ok() || result.claims.is_object(), "verified claims are not an object");
  (void)ib::auth::CheckApiKey(token, kSecret, kNow);  // the token as the apikey
  // The token as the bearer, beside the project's anon key.
  static const std::string anon_key = ib::auth::SignHs256(
      {{"iss", "supabase"}, {"role", "anon"}, {"iat", kNow}, {"exp", kNow + 3600}}, kSecret);
  try {
    (void)ib::auth::AuthenticateRest("Bearer " + token, anon_key, kSecret, kNow);
  } catch (const ib::storage::Error& e) {
    ib::fuzz::CheckClientError(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest = ib::fuzz::AsText(data + 1, size - 1);
  auto decoded = ib::auth::Base64UrlDecode(ib::auth::Base64UrlEncode(rest));
  ib::fuzz::Check(decoded && *decoded == rest, "base64url decode does not invert encode");
  if ((data[0] & 1) == 0) {
    (void)ib::auth::Base64UrlDecode(rest);
    CheckToken(std::string(rest));
    return 0;
  }
  const size_t newline = rest.find('\n');
  if (newline == std::string_view::npos) return 0;
  CheckToken(SignRaw(rest.substr(0, newline), rest.substr(newline + 1)));
  return 0;
}
