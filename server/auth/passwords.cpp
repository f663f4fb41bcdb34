#include "server/auth/passwords.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "server/auth/sodium_init.h"

namespace ib::auth {
namespace {

// libsodium takes (pointer, length); avoid handing it a null pointer for an empty view.
const char* DataOrEmpty(std::string_view text) { return text.empty() ? "" : text.data(); }

std::string ToHex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();  // the terminating NUL sodium_bin2hex writes
  return hex;
}

}  // namespace

PasswordCost InteractiveCost() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost MinimalCost() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

std::string HashPassword(std::string_view password, PasswordCost cost) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  // crypto_pwhash_str always produces Argon2id (crypto_pwhash_ALG_DEFAULT).
  if (crypto_pwhash_str(out, DataOrEmpty(password), password.size(), cost.opslimit,
                        cost.memlimit) != 0) {
    throw std::runtime_error("crypto_pwhash_str failed (out of memory?)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  // libsodium reads the hash as a C string in a crypto_pwhash_STRBYTES buffer. Refuse what it
  // cannot hold and embedded NULs, which would make it judge only a prefix of what we stored.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
      hash.find('\0') != std::string_view::npos) {
    return false;
  }
  char buffer[crypto_pwhash_STRBYTES] = {};
  hash.copy(buffer, hash.size());
  return crypto_pwhash_str_verify(buffer, DataOrEmpty(password), password.size()) == 0;
}

std::string RandomToken(size_t bytes) {
  EnsureSodium();
  if (bytes == 0) return {};
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string text(sodium_base64_ENCODED_LEN(bytes, variant), '\0');
  sodium_bin2base64(text.data(), text.size(), raw.data(), raw.size(), variant);
  text.resize(text.find('\0'));  // ENCODED_LEN counts the terminating NUL
  sodium_memzero(raw.data(), raw.size());
  return text;
}

std::string RandomHex(size_t bytes) {
  EnsureSodium();
  if (bytes == 0) return {};
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex = ToHex(raw.data(), raw.size());
  sodium_memzero(raw.data(), raw.size());
  return hex;
}

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(DataOrEmpty(data)),
                     data.size());
  return ToHex(digest, sizeof digest);
}

}  // namespace ib::auth
