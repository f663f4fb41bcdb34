// Rng: the fuzzer's only source of randomness. splitmix64 with our own range reduction, so a
// seed gives the same request sequence on every platform and standard library (the <random>
// distributions are implementation-defined). Not thread-safe: one per worker.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ib::livefuzz {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n); n == 0 gives 0.
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
  // True with probability percent / 100.
  bool Chance(unsigned percent) { return Below(100) < percent; }
  template <class T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t state_;
};

}  // namespace ib::livefuzz
