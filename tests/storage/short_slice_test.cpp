// ShortSlice: the calling thread's scheduler slice is the kernel's shortest while it lives and
// the default again after; its nice level and a non-default policy are left as they were; the
// group commit's writer and sync threads run with it, request threads without; where the calls
// are refused (a seccomp filter) nothing changes and no later ShortSlice makes them.
#include "storage/short_slice.h"

#include <doctest/doctest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
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

// A seccomp filter on the calling thread: system call `nr` fails with EPERM, or (`kill`) ends
// the process with SIGSYS; every other call is allowed.
bool Forbid(long nr, bool kill) {
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(nr), 0, 1),
      BPF_STMT(BPF_RET | BPF_K, kill ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program{static_cast<unsigned short>(sizeof code / sizeof code[0]), code};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

}  // namespace

TEST_CASE("short slice: refused by a seccomp filter, it changes nothing and is not asked again") {
  // In a child process: the refusal turns the calls off for the whole process. The child only
  // makes system calls (no allocation after fork) and reports through its exit status.
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    if (!Forbid(SYS_sched_setattr, false)) _exit(10);
    const Attr before = Current();
    {
      const ShortSlice refused;
      if (refused.applied()) _exit(11);
    }
    const Attr after = Current();
    if (after.sched_runtime != before.sched_runtime || after.sched_nice != before.sched_nice) {
      _exit(12);
    }
    // From now on any scheduler attribute call ends the child with SIGSYS.
    if (!Forbid(SYS_sched_getattr, true)) _exit(13);
    {
      const ShortSlice again;
      if (again.applied()) _exit(14);
    }
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK_FALSE(WIFSIGNALED(status));  // SIGSYS: the second ShortSlice asked the kernel again
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

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

TEST_CASE("short slice: the writer and sync threads hold it, a request's thread is left as is") {
  if (!KernelKeepsSlices()) {
    MESSAGE("this kernel has no custom slices for SCHED_OTHER: nothing to check");
    return;
  }
  testing::GamificationFixture f;
  Db& db = f.db().db();
  Attr before{}, body{}, after_commit{}, after{};
  pid_t requester = 0, body_thread = 0, second_body_thread = 0, effect_thread = 0;
  OnFreshThread([&] {
    requester = static_cast<pid_t>(syscall(SYS_gettid));
    before = Current();
    db.Write(testing::Service(), RequestClock{1'700'000'000'000'000}, [&](WriteScope& scope) {
      body = Current();
      body_thread = static_cast<pid_t>(syscall(SYS_gettid));
      scope.AfterCommit([&] {
        after_commit = Current();
        effect_thread = static_cast<pid_t>(syscall(SYS_gettid));
      });
    });
    after = Current();
    db.Write(testing::Service(), RequestClock{1'700'000'000'000'000},
             [&](WriteScope&) { second_body_thread = static_cast<pid_t>(syscall(SYS_gettid)); });
  });
  // The body on the writer thread, the same one for every write; its effects on the sync thread.
  CHECK(body_thread != requester);
  CHECK(second_body_thread == body_thread);
  CHECK(effect_thread != requester);
  CHECK(effect_thread != body_thread);
  CHECK(body.sched_runtime == ShortSlice::kSliceNanos);
  CHECK(after_commit.sched_runtime == ShortSlice::kSliceNanos);
  CHECK(after.sched_runtime == before.sched_runtime);
}

}  // namespace ib::storage
