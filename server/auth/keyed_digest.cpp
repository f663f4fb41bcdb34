#include "server/auth/keyed_digest.h"

#include <sodium.h>

#include <cstdint>
#include <stdexcept>

namespace ib::auth {
namespace {

const std::array<unsigned char, crypto_generichash_KEYBYTES>& ProcessKey() {
  static const auto key = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    std::array<unsigned char, crypto_generichash_KEYBYTES> k{};
    randombytes_buf(k.data(), k.size());
    return k;
  }();
  return key;
}

}  // namespace

Digest KeyedDigest(std::initializer_list<std::string_view> parts) {
  const auto& key = ProcessKey();
  crypto_generichash_state state;
  Digest out{};
  crypto_generichash_init(&state, key.data(), key.size(), out.size());
  for (std::string_view part : parts) {
    const uint64_t length = part.size();
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&length),
                              sizeof length);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                              part.size());
  }
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

}  // namespace ib::auth
