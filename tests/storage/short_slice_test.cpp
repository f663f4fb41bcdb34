// ShortSlice: the calling thread's scheduler slice is the kernel's shortest while it lives and
// the default again after; its nice level and a non-default policy are left as they were; a
// write's thread runs with it while GroupCommit holds it.
#include "storage/short_slice.h"

#include <doctest/doctest.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <thread>

#include "storage/db.h"
#include "storage/unit_of_work.h"
#include "tests/support/gamification_fixture.h"

namespace ib::storage {
namespace {

struct Attr {  // struct sched_attr
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

// The calling thread's attributes (all zero if the call fails, which the checks then show).
Attr Current() {
  Attr a{};
  if (syscall(SYS_sched_getattr, 0, &a, sizeof a, 0) != 0) a = Attr{};
  return a;
}

bool SetAttr(uint32_t policy, int nice, uint64_t slice) {
  Attr a{};
  a.size = sizeof a;
  a.sched_policy = policy;
  a.sched_nice = nice;
  a.sched_runtime = slice;
  return syscall(SYS_sched_setattr, 0, &a, 0) == 0;
}

// Runs `body` on a thread of its own, so the test runner's thread keeps its attributes.
void OnFreshThread(const std::function<void()>& body) { std::thread(body).join(); }

// Whether this kernel keeps a SCHED_OTHER thread's slice (EEVDF custom slices, Linux 6.12+):
// on older kernels the call succeeds and the slice is ignored.
bool KernelKeepsSlices() {
  bool keeps = false;
  OnFreshThread(
      [&] { keeps = SetAttr(SCHED_OTHER, 0, 200'000) && Current().sched_runtime == 200'000; });
  return keeps;
}

}  // namespace

TEST_CASE("short slice: the thread's slice is the shortest while it lives, the default after") {
  if (!KernelKeepsSlices()) {
    MESSAGE("this kernel has no custom slices for SCHED_OTHER: nothing to check");
    return;
  }
  // Read on the thread, checked here: a failed REQUIRE must not throw on another thread.
  Attr before{}, during{}, after{};
  bool applied = false;
  OnFreshThread([&] {
    before = Current();
    {
      const ShortSlice slice;
      applied = slice.applied();
      during = Current();
    }
    after = Current();
  });
  REQUIRE(before.sched_runtime != ShortSlice::kSliceNanos);
  CHECK(applied);
  CHECK(during.sched_runtime == ShortSlice::kSliceNanos);
  CHECK(during.sched_policy == SCHED_OTHER);
  CHECK(after.sched_runtime == before.sched_runtime);
}

TEST_CASE("short slice: applied, on every thread, exactly where the kernel keeps the slice") {
  // Before Linux 6.12 the first thread finds its slice ignored and no later thread asks.
  const bool keeps = KernelKeepsSlices();
  for (int i = 0; i < 3; ++i) {
    bool applied = !keeps;
    OnFreshThread([&] {
      const ShortSlice slice;
      applied = slice.applied();
    });
    CHECK(applied == keeps);
  }
}

TEST_CASE("short slice: the thread's nice level is kept, during and after") {
  bool niced = false;
  Attr during{}, after{};
  int after_priority = 0;
  OnFreshThread([&] {
    // Raising one's own nice level needs no privilege; the thread id names this thread alone.
    niced = setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 7) == 0;
    {
      const ShortSlice slice;
      during = Current();
    }
    after = Current();
    after_priority = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  });
  REQUIRE(niced);
  CHECK(during.sched_nice == 7);
  CHECK(after.sched_nice == 7);
  CHECK(after_priority == 7);
}

TEST_CASE("short slice: a thread under another policy (SCHED_BATCH) is left alone") {
  bool batch = false;
  bool applied = true;
  Attr before{}, during{}, after{};
  OnFreshThread([&] {
    batch = SetAttr(SCHED_BATCH, 0, 0);
    before = Current();
    {
      const ShortSlice slice;
      applied = slice.applied();
      during = Current();
    }
    after = Current();
  });
  REQUIRE(batch);
  CHECK_FALSE(applied);
  CHECK(during.sched_policy == SCHED_BATCH);
  CHECK(during.sched_runtime == before.sched_runtime);
  CHECK(after.sched_policy == SCHED_BATCH);
}

TEST_CASE("short slice: a write's thread holds it while its batch runs, and not after") {
  if (!KernelKeepsSlices()) {
    MESSAGE("this kernel has no custom slices for SCHED_OTHER: nothing to check");
    return;
  }
  testing::GamificationFixture f;
  Db& db = f.db().db();
  Attr before{}, during{}, after{};
  OnFreshThread([&] {
    before = Current();
    // A lone write leads its own batch, so its body runs on this thread.
    db.Write(testing::Service(), RequestClock{1'700'000'000'000'000},
             [&](WriteScope&) { during = Current(); });
    after = Current();
  });
  CHECK(during.sched_runtime == ShortSlice::kSliceNanos);
  CHECK(after.sched_runtime == before.sched_runtime);
}

}  // namespace ib::storage
