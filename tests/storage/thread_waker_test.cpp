// ThreadWaker: one per thread, never freed, a wake raised before the wait is kept, and a thread
// that ends hands its waker to the next one.
#include "storage/thread_waker.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace ib::storage {
namespace {

TEST_CASE("thread waker: the same waker for one thread, another for a thread running beside it") {
  ThreadWaker& mine = ThreadWaker::ForThisThread();
  CHECK(&ThreadWaker::ForThisThread() == &mine);
  std::atomic<ThreadWaker*> other{nullptr};
  std::atomic<bool> release{false};
  std::thread beside([&] {
    other = &ThreadWaker::ForThisThread();
    while (!release) std::this_thread::yield();
  });
  while (other == nullptr) std::this_thread::yield();
  CHECK(other != &mine);
  release = true;
  beside.join();
}

TEST_CASE("thread waker: a signal raised before the wait makes it return at once, once") {
  ThreadWaker& w = ThreadWaker::ForThisThread();
  w.Signal();
  w.Signal();  // two signals before one wait are one wake
  w.Wait();    // returns at once: it would hang the test otherwise
  std::atomic<bool> signalled{false};
  std::thread signaller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    signalled = true;
    w.Signal();
  });
  w.Wait();  // the earlier signals were used up: this one waits for the thread's
  CHECK(signalled);
  signaller.join();
}

TEST_CASE("thread waker: a waker whose thread ended stays valid and goes to the next thread") {
  ThreadWaker* first = nullptr;
  std::thread([&] { first = &ThreadWaker::ForThisThread(); }).join();
  REQUIRE(first != nullptr);
  first->Signal();  // a late wake after its thread ended: valid memory, no one to wake
  ThreadWaker* second = nullptr;
  bool returned = false;
  std::thread([&] {
    second = &ThreadWaker::ForThisThread();
    // The late wake reaches the next owner as one wake for nothing: its wait returns at once,
    // which is why every waiter checks its condition again.
    second->Wait();
    returned = true;
  }).join();
  CHECK(second == first);
  CHECK(returned);
}

}  // namespace
}  // namespace ib::storage
