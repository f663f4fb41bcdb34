// A 16-byte keyed digest (SipHash-2-4 with 128-bit output, libsodium's siphashx24, under a
// random key made once per process) of client-chosen strings, for in-memory tables keyed by
// them (rate limiters, the token cache): fixed size whatever the input's length, and, the key
// being secret, no collisions a client can aim for. A PRF made for keying tables: two per
// request (apikey and bearer) cost about half what BLAKE2b did. Not stable across restarts;
// never store it. Thread-safe.
#pragma once

#include <array>
#include <cstring>
#include <string_view>

namespace ib::auth {

using Digest = std::array<unsigned char, 16>;

// Digest of the concatenation of `parts` (each length-prefixed, so ("ab","c") != ("a","bc")).
Digest KeyedDigest(std::initializer_list<std::string_view> parts);

struct DigestHash {
  size_t operator()(const Digest& d) const {
    size_t h = 0;
    std::memcpy(&h, d.data(), sizeof h);  // already uniformly random bytes
    return h;
  }
};

}  // namespace ib::auth
