// Generator: the fuzzer's request stream for one connection. Each call picks who asks
// (user A, user B, anon, a user that does not exist, a bad token, no key), a supabase-js
// shape, and mutations, all from one seeded Rng: the same seed and worker give the same
// sequence of shapes and mutations (ids and canaries come from the run's World).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/livefuzz/gen.h"

namespace ib::livefuzz {

struct Fuzzed {
  Request request;
  Who who = Who::kAnon;
  std::string family;  // rest-read, rest-write, rpc, auth, storage, misc
  // Strings that must not appear anywhere in the answer: the other user's canary (both for
  // anyone who is neither user) and the server's JWT secret.
  std::vector<std::string> forbidden;
  // The asker's own canary (users only): seeing it in answers shows the canaries are reachable,
  // so the leak check is not vacuous.
  std::string own;
};

class Generator {
 public:
  Generator(const World& world, std::string secret, uint64_t seed);
  Fuzzed Next();

 private:
  const World& world_;
  std::string secret_;
  Rng rng_;
};

}  // namespace ib::livefuzz
