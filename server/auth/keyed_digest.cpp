#include "server/auth/keyed_digest.h"

#include <sodium.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>

namespace ib::auth {
namespace {

static_assert(crypto_shorthash_siphashx24_BYTES == std::tuple_size_v<Digest>);

const std::array<unsigned char, crypto_shorthash_siphashx24_KEYBYTES>& ProcessKey() {
  static const auto key = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    std::array<unsigned char, crypto_shorthash_siphashx24_KEYBYTES> k{};
    randombytes_buf(k.data(), k.size());
    return k;
  }();
  return key;
}

}  // namespace

Digest KeyedDigest(std::initializer_list<std::string_view> parts) {
  const auto& key = ProcessKey();
  // SipHash takes its input whole: the parts, each after its length, in one buffer per thread
  // (as long as the longest input seen; a token is hashed before its size is checked, so that
  // is bounded by the request head's limits, docs/limits.md: 64 KiB).
  thread_local std::string input;
  input.clear();
  for (std::string_view part : parts) {
    const uint64_t length = part.size();
    input.append(reinterpret_cast<const char*>(&length), sizeof length);
    input.append(part);
  }
  Digest out{};
  crypto_shorthash_siphashx24(out.data(), reinterpret_cast<const unsigned char*>(input.data()),
                              input.size(), key.data());
  return out;
}

}  // namespace ib::auth
