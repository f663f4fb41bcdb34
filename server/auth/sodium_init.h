// EnsureSodium(): sodium_init() must run before any other libsodium call. Every libsodium user
// (passwords, refresh-token seals) calls this first; it is cheap after the first call.
#pragma once

#include <sodium.h>

#include <stdexcept>

namespace ib::auth {

// A function-local static is initialised exactly once even under concurrent first calls
// (C++11 [stmt.dcl]/4); if it throws, the next call tries again.
inline void EnsureSodium() {
  static const bool initialised = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    return true;
  }();
  (void)initialised;
}

}  // namespace ib::auth
