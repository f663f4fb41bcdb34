// Small helpers unit tests share: the (status, code) of a refusal, deterministic random bytes.
// Header-only, no database (see test_db.h for that).
#pragma once

#include <cstddef>
#include <functional>
#include <random>
#include <string>
#include <utility>

#include "storage/error.h"

namespace ib::testing {

// (status, code) of the storage::Error `fn` throws; (0, "") when it returns.
inline std::pair<int, std::string> Refusal(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const storage::Error& e) {
    return {e.status(), e.code()};
  }
  return {0, ""};
}

// `n` bytes from a generator seeded with `seed`: the same bytes on every run.
inline std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xFF);
  return out;
}

}  // namespace ib::testing
