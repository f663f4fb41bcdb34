// ShortSlice: while one lives, the calling thread asks the kernel's EEVDF scheduler for a short
// time slice (`sched_setattr`, SCHED_OTHER with `sched_runtime`: Linux 6.12 and later, no
// privilege needed), and the default one again when it ends. The group commit's writer and sync
// threads hold one for their whole life (storage/group_commit.h).
// Why: those threads sleep between batches and between syncs, and after each wake they need a
// CPU at once: a write's answer waits for the batch and then for its sync. With reads keeping
// both cores busy, a woken thread waited for the running task's slice to end (1.4 ms by default
// on a 2-core machine, more when several tasks queue); a task asking for a shorter slice than
// the running one's preempts it on wake instead (bench/README.md, 2026-12-06: the delay from
// wake to run fell by more than half at the median). Reads are not slowed in exchange: they lose
// the CPU for the few microseconds a write thread runs between its sleeps. Request threads keep
// the default slice: asking for it and back around every write cost an insert 4 % of its rate in
// two system calls (bench/README.md, 2026-12-08). On an older kernel (the slice is ignored:
// Debian 12's 6.1) or where the call is refused (a seccomp filter) nothing changes, and once the
// first thread has seen that, no thread makes the calls again.
#pragma once

#include <cstdint>

namespace ib::storage {

class ShortSlice {
 public:
  // The slice asked for: the kernel's shortest (100 us).
  static constexpr uint64_t kSliceNanos = 100'000;

  ShortSlice();   // the calling thread's slice becomes kSliceNanos (if its policy is SCHED_OTHER)
  ~ShortSlice();  // and back to the default slice, nice level and flags as they were
  ShortSlice(const ShortSlice&) = delete;
  ShortSlice& operator=(const ShortSlice&) = delete;

  // Whether the constructor changed the slice (and the destructor will restore it): false
  // under another policy, on a kernel without custom slices, where the calls are refused.
  bool applied() const { return applied_; }

 private:
  bool applied_ = false;
  int previous_nice_ = 0;
  uint64_t previous_flags_ = 0;
};

}  // namespace ib::storage
