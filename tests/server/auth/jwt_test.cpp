#include "server/auth/jwt.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <thread>
#include <vector>

namespace ib::auth {
namespace {

using nlohmann::json;

constexpr char kJwtSecret[] = "super-secret-jwt-token-with-at-least-32-characters-long";
constexpr int64_t kJwtNow = 1'700'000'000;

// Computed outside this code base with Python's hmac/hashlib/base64 (sort_keys, compact
// separators) and cross-checked with `openssl dgst -sha256 -hmac`.
constexpr char kKnownToken[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJhdWQiOiJhdXRoZW50aWNhdGVkIiwiZXhwIjoyMDAwMDAwMDAwLCJpYXQiOjE3MDAwMDAwMDAsInJvbGUiOiJhdXRo"
    "ZW50aWNhdGVkIiwic3ViIjoiMGI3ZTRmNWMtOGQxYS00YzNlLTlmMmItNmE1ZDRjM2IyYTEwIn0."
    "3uauoU8H6GBYmn8waen2AdJfMKc2CKYCptzPBmRf4U0";

json KnownClaims() {
  return {{"sub", "0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10"},
          {"role", "authenticated"},
          {"aud", "authenticated"},
          {"iat", 1700000000},
          {"exp", 2000000000}};
}

// Builds a token from raw header and payload text, HMAC-SHA256-signed with `secret` whatever
// the header claims: lets a test reach the checks that come after the signature.
std::string MakeToken(const std::string& header, const std::string& payload,
                      const std::string& secret = kJwtSecret) {
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), len));
}

std::string Claims(const std::string& extra = "") {
  return R"({"sub":"u1","role":"authenticated")" + extra + "}";
}

constexpr char kHs256Header[] = R"({"alg":"HS256","typ":"JWT"})";

std::vector<std::string> Split(const std::string& token) {
  size_t a = token.find('.');
  size_t b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

}  // namespace

TEST_CASE("jwt: base64url matches RFC 4648 vectors both ways") {
  struct Case {
    std::string bytes;
    std::string text;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"f", "Zg"},
      {"fo", "Zm8"},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg"},
      {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"},
      {"\xfb\xff", "-_8"},  // the two characters where base64url differs from base64
      {std::string("\0\x01\x02", 3), "AAEC"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(Base64UrlEncode(c.bytes) == c.text);
    std::optional<std::string> decoded = Base64UrlDecode(c.text);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == c.bytes);
  }
}

TEST_CASE("jwt: base64url decoder refuses bad input") {
  const std::vector<std::string> bad = {
      "Zg==",    // padding is not part of base64url in JWS
      "Zg=",     //
      "Zm9v=",   //
      "Z",       // 4k+1 characters: impossible length
      "Zm9vY",   //
      "Zm9v+",   // standard-base64 characters
      "Zm9v/w",  //
      "Zm 9v",   // whitespace
      "Zm9v\n",  //
      "Zh",      // non-zero leftover bits (same byte as "Zg")
      "Zm9",     // "Zm8" with non-zero leftover bits
      "Zm*v",    //
      std::string("Zm\0v", 4),
      "\xc3\xa9\xc3\xa9",  // non-ASCII
  };
  for (const std::string& text : bad) {
    CAPTURE(text);
    CHECK_FALSE(Base64UrlDecode(text).has_value());
  }
}

TEST_CASE("jwt: round trip keeps the claims") {
  const std::vector<json> claim_sets = {
      json::object(),
      KnownClaims(),
      {{"sub", "u1"}, {"exp", kJwtNow + 3600}, {"app_metadata", {{"provider", "email"}}}},
      {{"name", "Zoë \u00e9 \xf0\x9f\x94\x91"}, {"amr", json::array({{{"method", "password"}}})}},
  };
  for (const json& claims : claim_sets) {
    CAPTURE(claims.dump());
    std::string token = SignHs256(claims, kJwtSecret);
    JwtResult result = VerifyHs256(token, kJwtSecret, kJwtNow);
    CHECK(result.ok());
    CHECK(result.claims == claims);
  }
}

TEST_CASE("jwt: claims nested to the client JSON bound verify, one level more is malformed") {
  // The payload object is one level: 511 arrays inside it make 512 in all.
  const std::string within = Claims(R"(,"x":)" + std::string(511, '[') + std::string(511, ']'));
  JwtResult ok = VerifyHs256(MakeToken(kHs256Header, within), kJwtSecret, kJwtNow);
  CHECK(ok.ok());
  CHECK(ok.claims["sub"] == "u1");
  const std::string over = Claims(R"(,"x":)" + std::string(512, '[') + std::string(512, ']'));
  JwtResult refused = VerifyHs256(MakeToken(kHs256Header, over), kJwtSecret, kJwtNow);
  REQUIRE_FALSE(refused.ok());
  CHECK(*refused.failure == JwtFailure::kMalformed);
}

TEST_CASE("jwt: known vector proves interop") {
  CHECK(SignHs256(KnownClaims(), kJwtSecret) == kKnownToken);
  JwtResult result = VerifyHs256(kKnownToken, kJwtSecret, kJwtNow);
  REQUIRE(result.ok());
  CHECK(result.claims == KnownClaims());

  // Tokens from other encoders: different key order in header and payload.
  const std::vector<std::pair<std::string, std::string>> foreign = {
      {"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9."
       "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
       "jjmTPZ6I6akaT1QtjeCDkz999ou8xIPPJihXv-9wcEg",
       kJwtSecret},
      // The jwt.io example token.
      {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
       "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
       "your-256-bit-secret"},
  };
  for (const auto& token_and_secret : foreign) {
    CAPTURE(token_and_secret.first);
    JwtResult foreign_result =
        VerifyHs256(token_and_secret.first, token_and_secret.second, kJwtNow);
    REQUIRE(foreign_result.ok());
    CHECK(foreign_result.claims["name"] == "John Doe");
    CHECK(foreign_result.claims["iat"] == 1516239022);
  }
}

// Each thread keeps its HMAC context keyed with the last secret it used: alternating
// secrets on one thread, and threads of their own, must each sign with the secret given.
TEST_CASE("jwt: one thread alternating secrets signs with the one given each time") {
  const std::string other = "another-secret-of-more-than-thirty-two-characters";
  const std::string known_with_other = SignHs256(KnownClaims(), other);
  CHECK(known_with_other != kKnownToken);
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(SignHs256(KnownClaims(), kJwtSecret) == kKnownToken);
    CHECK(VerifyHs256(kKnownToken, other, kJwtNow).failure == JwtFailure::kBadSignature);
    CHECK(VerifyHs256(known_with_other, other, kJwtNow).ok());
    CHECK(VerifyHs256(known_with_other, kJwtSecret, kJwtNow).failure == JwtFailure::kBadSignature);
    CHECK(VerifyHs256(kKnownToken, kJwtSecret, kJwtNow).ok());
    // The same secret twice in a row: the context is restarted, not keyed again.
    CHECK(VerifyHs256(kKnownToken, kJwtSecret, kJwtNow).ok());
    CHECK(SignHs256(KnownClaims(), "") != SignHs256(KnownClaims(), kJwtSecret));
  }
  std::vector<std::string> signed_on_threads(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < signed_on_threads.size(); ++t) {
    threads.emplace_back([&, t] {
      signed_on_threads[t] = SignHs256(KnownClaims(), t % 2 == 0 ? std::string(kJwtSecret) : other);
    });
  }
  for (auto& thread : threads) thread.join();
  for (size_t t = 0; t < signed_on_threads.size(); ++t) {
    CHECK(signed_on_threads[t] == (t % 2 == 0 ? std::string(kKnownToken) : known_with_other));
  }
}

TEST_CASE("jwt: refusals") {
  const std::string valid = MakeToken(kHs256Header, Claims());
  const std::vector<std::string> parts = Split(valid);
  // Change one signature character to another valid base64url character.
  std::string tampered_signature = valid;
  char& flipped = tampered_signature[parts[0].size() + parts[1].size() + 2 + 10];
  flipped = (flipped == 'A') ? 'B' : 'A';
  const std::string escalated =
      parts[0] + "." + Base64UrlEncode(R"({"sub":"u1","role":"service_role"})") + "." + parts[2];
  const std::string big_claims = Claims(R"(,"pad":")" + std::string(size_t{20} * 1024, 'x') + "\"");

  struct Case {
    std::string name;
    std::string token;
    JwtFailure failure;
    std::string message;  // exact when non-empty
  };
  const std::vector<Case> cases = {
      {"empty string", "", JwtFailure::kMalformed, "Expected 3 parts in JWT; got 1"},
      {"1 part", parts[0], JwtFailure::kMalformed, "Expected 3 parts in JWT; got 1"},
      {"2 parts", parts[0] + "." + parts[1], JwtFailure::kMalformed,
       "Expected 3 parts in JWT; got 2"},
      {"4 parts", valid + ".x", JwtFailure::kMalformed, "Expected 3 parts in JWT; got 4"},
      {"only dots", "....", JwtFailure::kMalformed, "Expected 3 parts in JWT; got 5"},
      {"empty parts", "..", JwtFailure::kMalformed, ""},
      {"tampered payload", escalated, JwtFailure::kBadSignature, "JWSInvalidSignature"},
      {"tampered signature", tampered_signature, JwtFailure::kBadSignature, "JWSInvalidSignature"},
      {"wrong secret", MakeToken(kHs256Header, Claims(), "another-secret"),
       JwtFailure::kBadSignature, "JWSInvalidSignature"},
      {"empty signature", parts[0] + "." + parts[1] + ".", JwtFailure::kBadSignature, ""},
      {"truncated signature", valid.substr(0, valid.size() - 3), JwtFailure::kBadSignature, ""},
      {"signature of signing input with no secret", MakeToken(kHs256Header, Claims(), ""),
       JwtFailure::kBadSignature, ""},
      {"alg HS384", MakeToken(R"({"alg":"HS384","typ":"JWT"})", Claims()),
       JwtFailure::kBadAlgorithm, ""},
      {"alg HS512", MakeToken(R"({"alg":"HS512","typ":"JWT"})", Claims()),
       JwtFailure::kBadAlgorithm, ""},
      {"alg RS256", MakeToken(R"({"alg":"RS256","typ":"JWT"})", Claims()),
       JwtFailure::kBadAlgorithm, ""},
      {"alg none, signed anyway", MakeToken(R"({"alg":"none","typ":"JWT"})", Claims()),
       JwtFailure::kBadAlgorithm, ""},
      {"alg none, empty signature",
       Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + parts[1] + ".",
       JwtFailure::kBadAlgorithm, ""},
      {"alg missing", MakeToken(R"({"typ":"JWT"})", Claims()), JwtFailure::kBadAlgorithm, ""},
      {"alg lowercase", MakeToken(R"({"alg":"hs256"})", Claims()), JwtFailure::kBadAlgorithm, ""},
      {"alg with space", MakeToken(R"({"alg":"HS256 "})", Claims()), JwtFailure::kBadAlgorithm, ""},
      {"alg null", MakeToken(R"({"alg":null})", Claims()), JwtFailure::kBadAlgorithm, ""},
      {"alg array", MakeToken(R"({"alg":["HS256"]})", Claims()), JwtFailure::kBadAlgorithm, ""},
      {"bad base64 in header", "eyJh*GciOiJIUzI1NiJ9." + parts[1] + "." + parts[2],
       JwtFailure::kMalformed, ""},
      {"standard base64 in payload", parts[0] + ".ab+/." + parts[2], JwtFailure::kMalformed, ""},
      {"bad base64 in signature", parts[0] + "." + parts[1] + ".!!!!", JwtFailure::kMalformed, ""},
      {"padding on signature", valid + "=", JwtFailure::kMalformed, ""},
      {"padding on payload", parts[0] + "." + Base64UrlEncode(Claims()) + "==." + parts[2],
       JwtFailure::kMalformed, ""},
      {"header not JSON", MakeToken("not json", Claims()), JwtFailure::kMalformed, ""},
      {"header JSON array", MakeToken(R"(["HS256"])", Claims()), JwtFailure::kMalformed, ""},
      {"header JSON string", MakeToken(R"("HS256")", Claims()), JwtFailure::kMalformed, ""},
      {"header with trailing garbage", MakeToken(std::string(kHs256Header) + "x", Claims()),
       JwtFailure::kMalformed, ""},
      {"payload array", MakeToken(kHs256Header, R"([{"sub":"u1"}])"), JwtFailure::kMalformed, ""},
      {"payload null", MakeToken(kHs256Header, "null"), JwtFailure::kMalformed, ""},
      {"payload empty", MakeToken(kHs256Header, ""), JwtFailure::kMalformed, ""},
      {"payload invalid UTF-8", MakeToken(kHs256Header, "{\"sub\":\"\xff\"}"),
       JwtFailure::kMalformed, ""},
      {"payload nested 513 deep",
       MakeToken(kHs256Header, Claims(R"(,"x":)" + std::string(512, '[') + std::string(512, ']'))),
       JwtFailure::kMalformed, "JWT payload is not a base64url JSON object"},
      {"header nested 2,000 deep, unsigned",
       Base64UrlEncode(R"({"alg":"HS256","x":)" + std::string(2000, '[') + std::string(2000, ']') +
                       "}") +
           "." + parts[1] + "." + parts[2],
       JwtFailure::kMalformed, "JWT header is not a base64url JSON object"},
      {"20 KB token", MakeToken(kHs256Header, big_claims), JwtFailure::kMalformed, "JWT too large"},
      {"20 KB of dots", std::string(size_t{20} * 1024, '.'), JwtFailure::kMalformed,
       "JWT too large"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    JwtResult result;
    CHECK_NOTHROW(result = VerifyHs256(c.token, kJwtSecret, kJwtNow));
    REQUIRE_FALSE(result.ok());
    CHECK(*result.failure == c.failure);
    if (!c.message.empty()) CHECK(result.message == c.message);
    CHECK_FALSE(result.message.empty());
    CHECK(result.claims.is_null());
  }
}

TEST_CASE("jwt: exp has no leeway") {
  struct Case {
    std::string name;
    std::string extra;  // appended to the claims object
    std::optional<JwtFailure> failure;
  };
  const std::string now = std::to_string(kJwtNow);
  const std::vector<Case> cases = {
      {"exp == now", ",\"exp\":" + now, JwtFailure::kExpired},
      {"exp = now - 1", ",\"exp\":" + std::to_string(kJwtNow - 1), JwtFailure::kExpired},
      {"exp = now + 1", ",\"exp\":" + std::to_string(kJwtNow + 1), std::nullopt},
      {"exp missing", "", std::nullopt},
      {"exp negative", ",\"exp\":-1", JwtFailure::kExpired},
      {"exp zero", ",\"exp\":0", JwtFailure::kExpired},
      {"exp float in the past", ",\"exp\":" + now + ".0", JwtFailure::kExpired},
      {"exp float just ahead", ",\"exp\":" + now + ".5", std::nullopt},
      {"exp beyond int64", ",\"exp\":18446744073709551615", std::nullopt},
      {"exp huge float", ",\"exp\":1e300", std::nullopt},
      {"exp as string", ",\"exp\":\"" + std::to_string(kJwtNow + 3600) + "\"",
       JwtFailure::kMalformed},
      {"exp null", ",\"exp\":null", JwtFailure::kMalformed},
      {"exp bool", ",\"exp\":true", JwtFailure::kMalformed},
      {"exp object", ",\"exp\":{}", JwtFailure::kMalformed},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    JwtResult result = VerifyHs256(MakeToken(kHs256Header, Claims(c.extra)), kJwtSecret, kJwtNow);
    CHECK(result.failure == c.failure);
    if (c.failure == JwtFailure::kExpired) CHECK(result.message == "JWT expired");
    if (!c.failure) CHECK(result.claims["sub"] == "u1");
  }
}

TEST_CASE("jwt: a token under the size cap verifies") {
  json claims = {{"sub", "u1"}, {"pad", std::string(size_t{10} * 1024, 'x')}};
  std::string token = SignHs256(claims, kJwtSecret);
  REQUIRE(token.size() < size_t{16} * 1024);
  CHECK(VerifyHs256(token, kJwtSecret, kJwtNow).ok());
}

TEST_CASE("jwt: the size cap is 16 KiB inclusive") {
  bool saw_limit = false;
  bool saw_over = false;
  for (size_t pad = 12000; pad < 12400 && !(saw_limit && saw_over); ++pad) {
    std::string token = SignHs256({{"sub", "u1"}, {"pad", std::string(pad, 'x')}}, kJwtSecret);
    if (token.size() == size_t{16} * 1024) {
      saw_limit = true;
      CHECK(VerifyHs256(token, kJwtSecret, kJwtNow).ok());
    } else if (token.size() == size_t{16} * 1024 + 1) {
      saw_over = true;
      CHECK(VerifyHs256(token, kJwtSecret, kJwtNow).message == "JWT too large");
    }
  }
  CHECK(saw_limit);
  CHECK(saw_over);
}

TEST_CASE("jwt: no single-character change of a valid token verifies") {
  const std::string valid = SignHs256({{"sub", "u1"}, {"exp", kJwtNow + 60}}, kJwtSecret);
  REQUIRE(VerifyHs256(valid, kJwtSecret, kJwtNow).ok());
  const std::string replacements("A_-.=+/ \0\xff", 10);
  for (size_t i = 0; i < valid.size(); ++i) {
    for (char r : replacements) {
      if (valid[i] == r) continue;
      std::string mutated = valid;
      mutated[i] = r;
      CAPTURE(mutated);
      JwtResult result;
      CHECK_NOTHROW(result = VerifyHs256(mutated, kJwtSecret, kJwtNow));
      CHECK_FALSE(result.ok());
    }
  }
}

}  // namespace ib::auth
