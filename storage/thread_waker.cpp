#include "storage/thread_waker.h"

#include <vector>

namespace ib::storage {
namespace {

// Wakers no thread holds now. Never freed: a late Signal() to a waker whose thread has ended
// reaches valid memory (and at worst wakes its next owner once for nothing).
struct WakerPool {
  std::mutex mu;
  std::vector<ThreadWaker*> free;
};

WakerPool& Pool() {
  static auto* pool = new WakerPool;  // never destroyed: threads may end after static teardown
  return *pool;
}

}  // namespace

ThreadWaker& ThreadWaker::ForThisThread() {
  // Gives the thread's waker back to the pool when the thread ends.
  struct Held {
    ThreadWaker* waker = nullptr;
    ~Held() {
      if (waker == nullptr) return;
      std::lock_guard<std::mutex> lock(Pool().mu);
      Pool().free.push_back(waker);
    }
  };
  thread_local Held held;
  if (held.waker == nullptr) {
    WakerPool& pool = Pool();
    std::lock_guard<std::mutex> lock(pool.mu);
    if (pool.free.empty()) {
      held.waker = new ThreadWaker;  // NOLINT(cppcoreguidelines-owning-memory): kept for good
    } else {
      held.waker = pool.free.back();
      pool.free.pop_back();
    }
  }
  return *held.waker;
}

void ThreadWaker::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return signaled_; });
  signaled_ = false;
}

void ThreadWaker::Signal() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    signaled_ = true;
  }
  // After the unlock: the woken thread does not find mu_ held. Safe since *this is never freed.
  cv_.notify_one();
}

}  // namespace ib::storage
