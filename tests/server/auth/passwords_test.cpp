#include "server/auth/passwords.h"

#include <doctest/doctest.h>
#include <sodium.h>

#include <set>
#include <string>
#include <vector>

#include "server/auth/jwt.h"

namespace ib::auth {

TEST_CASE("passwords: hash then verify") {
  struct Case {
    const char* name;
    std::string password;
    std::string wrong;
  };
  const std::vector<Case> cases = {
      {"ascii", "correct horse battery staple", "correct horse battery stapl"},
      {"empty", "", " "},
      {"unicode", "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c \xf0\x9f\x94\x91", "parol"},
      {"embedded NUL is not a terminator", std::string("a\0b", 3), "a"},
      {"case matters", "Secret", "secret"},
      {"long", std::string(4096, 'p'), std::string(4095, 'p')},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::string hash = HashPassword(c.password, MinimalCost());
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(VerifyPassword(hash, c.password));
    CHECK_FALSE(VerifyPassword(hash, c.wrong));
  }
}

TEST_CASE("passwords: two hashes of the same password differ") {
  std::string first = HashPassword("hunter2", MinimalCost());
  std::string second = HashPassword("hunter2", MinimalCost());
  CHECK(first != second);  // fresh salt each time
  CHECK(VerifyPassword(first, "hunter2"));
  CHECK(VerifyPassword(second, "hunter2"));
}

TEST_CASE("passwords: malformed hashes never verify") {
  const std::string good = HashPassword("pw", MinimalCost());
  REQUIRE(VerifyPassword(good, "pw"));
  std::string flipped = good;
  flipped[flipped.size() - 5] = (flipped[flipped.size() - 5] == 'A') ? 'B' : 'A';
  const std::vector<std::string> bad = {
      "",
      "pw",
      "not a hash",
      "$argon2id$",
      "$argon2id$v=19$m=8,t=1,p=1$",
      "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",  // bcrypt
      good.substr(0, good.size() - 1),
      good + "A",
      good + std::string("\0junk", 5),
      std::string("\0", 1) + good,
      flipped,
      std::string(300, '$'),
  };
  for (const std::string& hash : bad) {
    CAPTURE(hash);
    bool verified = true;
    CHECK_NOTHROW(verified = VerifyPassword(hash, "pw"));
    CHECK_FALSE(verified);
  }
}

TEST_CASE("passwords: cost presets are libsodium's") {
  CHECK(InteractiveCost().opslimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
  CHECK(InteractiveCost().memlimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);
  CHECK(MinimalCost().opslimit == crypto_pwhash_OPSLIMIT_MIN);
  CHECK(MinimalCost().memlimit == crypto_pwhash_MEMLIMIT_MIN);
}

TEST_CASE("passwords: RandomToken is unpadded base64url of the asked length") {
  struct Case {
    size_t bytes;
    size_t length;
  };
  const std::vector<Case> cases = {{0, 0}, {1, 2}, {2, 3}, {3, 4}, {16, 22}, {32, 43}, {33, 44}};
  for (const Case& c : cases) {
    CAPTURE(c.bytes);
    std::string token = RandomToken(c.bytes);
    CHECK(token.size() == c.length);
    CHECK(token.find_first_not_of(
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    std::optional<std::string> decoded = Base64UrlDecode(token);
    REQUIRE(decoded.has_value());
    CHECK(decoded->size() == c.bytes);
  }
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(RandomToken(32));
  CHECK(seen.size() == 100);
}

TEST_CASE("passwords: RandomHex is lowercase hex of the asked length") {
  for (size_t bytes : {0, 1, 16, 32}) {
    CAPTURE(bytes);
    std::string hex = RandomHex(bytes);
    CHECK(hex.size() == 2 * bytes);
    CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
  }
  CHECK(RandomHex(16) != RandomHex(16));
}

TEST_CASE("passwords: Sha256Hex matches FIPS 180-2 vectors") {
  struct Case {
    std::string data;
    std::string hex;
  };
  const std::vector<Case> cases = {
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.data);
    CHECK(Sha256Hex(c.data) == c.hex);
  }
}

}  // namespace ib::auth
