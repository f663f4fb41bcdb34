// FiredTrace: while one is alive on a thread, every hook that fires on that thread is recorded
// by name, in firing order, so a test can assert which hooks a request ran (as PocketBase's
// API tests list ExpectedEvents). A write that shares a batch runs its hooks on the thread that
// leads the batch (storage/group_commit.h), so trace single-threaded writes. Nested traces: the
// innermost records, and the outer one is restored when it ends. Without a live trace, Fire() pays
// one thread-local load per hook.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ib::storage::hooks {

class FiredTrace {
 public:
  FiredTrace();
  ~FiredTrace();
  FiredTrace(const FiredTrace&) = delete;
  FiredTrace& operator=(const FiredTrace&) = delete;

  // Names of the hooks fired since this trace began (Hook::name, registry spelling).
  const std::vector<std::string>& names() const { return names_; }

  // Called by Fire() for each hook it runs, before running it.
  static void Record(std::string_view hook_name);

 private:
  FiredTrace* previous_;
  std::vector<std::string> names_;
};

}  // namespace ib::storage::hooks
