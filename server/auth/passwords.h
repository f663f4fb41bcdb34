// Password hashing (Argon2id via libsodium's crypto_pwhash_str) and random tokens.
// Hashes are self-describing strings ("$argon2id$v=19$m=...") safe to store as text; verify
// reads the cost from the hash. No I/O, no globals beyond libsodium's one-time init.
// Thread-safe: every function may be called from any httplib worker concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ib::auth {

struct PasswordCost {
  unsigned long long opslimit;
  size_t memlimit;
};

// crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE: what the server uses.
PasswordCost InteractiveCost();
// crypto_pwhash_OPSLIMIT_MIN / MEMLIMIT_MIN: fast and weak, for tests only.
PasswordCost MinimalCost();

// Argon2id hash with a fresh random salt; throws std::runtime_error if libsodium cannot hash
// (out of memory, or a password beyond crypto_pwhash_PASSWD_MAX).
std::string HashPassword(std::string_view password, PasswordCost cost);
// True only if `hash` is a well-formed crypto_pwhash_str string for `password`; false (never
// throws) on a wrong password or any malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);

// `bytes` random bytes from randombytes_buf, as base64url without padding (refresh tokens).
std::string RandomToken(size_t bytes);
// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string RandomHex(size_t bytes);
// Lowercase hex SHA-256 of `data`; refresh tokens are stored only in this form.
std::string Sha256Hex(std::string_view data);

}  // namespace ib::auth
