// Times Argon2id password hashing at the server's default (INTERACTIVE) cost: one hash, then
// 8 in parallel: a sign-up must complete in under 0.5 s with 8 running in parallel.
// Built and run by bench/auth/password_cost.sh.
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "server/auth/passwords.h"

int main() {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) {
    return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  };
  auto start = Clock::now();
  ib::auth::HashPassword("secret123", ib::auth::InteractiveCost());
  std::printf("one hash: %lld ms\n", ms(Clock::now() - start));
  start = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([] { ib::auth::HashPassword("secret123", ib::auth::InteractiveCost()); });
  }
  for (auto& t : threads) t.join();
  std::printf("8 in parallel: %lld ms until the last finished\n", ms(Clock::now() - start));
  return 0;
}
