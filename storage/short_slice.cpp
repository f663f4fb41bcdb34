#include "storage/short_slice.h"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>

namespace ib::storage {
namespace {

// The kernel's struct sched_attr (include/uapi/linux/sched/types.h), declared here: glibc 2.36
// has no wrapper for sched_getattr/sched_setattr, and <linux/sched/types.h> cannot be included
// beside <sched.h> (both define struct sched_param).
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;  // SCHED_OTHER: the slice asked for, 0 = the default
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

// The only flag carried over: the others ask for changes (clamps, reclaim) we do not make.
constexpr uint64_t kResetOnFork = 0x01;  // SCHED_FLAG_RESET_ON_FORK

// Set once a call was refused (ENOSYS, EPERM from a seccomp filter), or once the kernel was
// seen to ignore the slice (before Linux 6.12 `sched_runtime` means nothing to SCHED_OTHER and
// sched_getattr reports 0): no thread makes the calls again.
std::atomic<bool> slice_calls_off{false};
// Set once a thread has read its slice back after asking for it and found it kept.
std::atomic<bool> slice_seen_kept{false};

bool ReadAttr(SchedAttr& attr) {
  attr = SchedAttr{};
  return syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) == 0;
}

bool WriteAttr(int nice, uint64_t flags, uint64_t slice) {
  SchedAttr attr{};
  attr.size = sizeof attr;
  attr.sched_policy = SCHED_OTHER;
  attr.sched_flags = flags & kResetOnFork;
  attr.sched_nice = nice;
  attr.sched_runtime = slice;
  return syscall(SYS_sched_setattr, 0, &attr, 0) == 0;
}

}  // namespace

ShortSlice::ShortSlice() {
  if (slice_calls_off.load(std::memory_order_relaxed)) return;
  SchedAttr now;
  if (!ReadAttr(now)) {
    slice_calls_off = true;
    return;
  }
  // SCHED_BATCH, SCHED_IDLE or a real-time policy was chosen on purpose (chrt): left alone.
  if (now.sched_policy != SCHED_OTHER) return;
  previous_nice_ = now.sched_nice;
  previous_flags_ = now.sched_flags;
  if (!WriteAttr(previous_nice_, previous_flags_, kSliceNanos)) {
    slice_calls_off = true;
    return;
  }
  if (!slice_seen_kept.load(std::memory_order_relaxed)) {
    // The first time: did the kernel keep it? If not, the call changed nothing (the same nice
    // level and flags), so there is nothing to restore either.
    SchedAttr after;
    if (!ReadAttr(after) || after.sched_runtime != kSliceNanos) {
      slice_calls_off = true;
      return;
    }
    slice_seen_kept = true;
  }
  applied_ = true;
}

ShortSlice::~ShortSlice() {
  // Back to the kernel's default slice (sched_getattr reports the default as a number, so a
  // thread's earlier custom slice could not be told from it; ours never have one).
  if (applied_) WriteAttr(previous_nice_, previous_flags_, 0);
}

}  // namespace ib::storage
