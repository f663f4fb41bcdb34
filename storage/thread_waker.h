// ThreadWaker: a thread's own wake-up signal that may be raised after the lock guarding what it
// signals is released, because it outlives every wait on it.
// Why: a write request waits for its batch (storage/group_commit.h) on a signal of its own. With
// a condition variable in the request's job (on its stack), the group commit had to notify while
// still holding its mutex: once the job is marked done, its thread may return and take the job
// with it. The woken thread then found that mutex held, slept on it at once and had to be woken
// a second time: at c8 about 0.8 such extra sleeps per insert (bench/README.md, 2026-12-06). A
// waker belongs to a thread, not to a job, and is never freed (a thread that ends gives it back
// for the next one), so the group commit can mark the jobs done, unlock, and only then wake
// their threads.
// A wake may be one meant for an earlier wait (raised after the thread stopped waiting for it),
// so a waiter always checks its condition again, under its own lock, after Wait() returns.
#pragma once

#include <condition_variable>
#include <mutex>

namespace ib::storage {

class ThreadWaker {
 public:
  // The calling thread's waker: taken from a pool the first time, given back when the thread
  // ends. Its address stays valid for the life of the process.
  static ThreadWaker& ForThisThread();

  // Returns once Signal() has been called since the last Wait() returned (at once if it has).
  void Wait();
  // Wakes the owner's Wait(), or makes its next one return at once. Any thread, at any time.
  void Signal();

  ThreadWaker(const ThreadWaker&) = delete;
  ThreadWaker& operator=(const ThreadWaker&) = delete;

 private:
  ThreadWaker() = default;
  ~ThreadWaker() = default;

  std::mutex mu_;
  std::condition_variable cv_;
  bool signaled_ = false;
};

}  // namespace ib::storage
