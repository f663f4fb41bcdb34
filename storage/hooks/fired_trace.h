// FiredTrace: while one is alive on a thread, every hook fired by a write that thread makes is
// recorded by name, in firing order, so a test can assert which hooks a request ran (as
// PocketBase's API tests list ExpectedEvents). The write's body runs on the group commit's
// writer thread (storage/group_commit.h), which lends it the requesting thread's trace while
// it runs. Nested traces: the innermost records, and the outer one is restored when it ends.
// Without a live trace, Fire() pays one thread-local load per hook.
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

  // The calling thread's live trace, or nullptr.
  static FiredTrace* Current();

  // While alive, `trace` (may be nullptr) is the calling thread's live trace: the writer thread
  // runs each write under its requester's.
  class Lend {
   public:
    explicit Lend(FiredTrace* trace);
    ~Lend();
    Lend(const Lend&) = delete;
    Lend& operator=(const Lend&) = delete;

   private:
    FiredTrace* previous_;
  };

 private:
  FiredTrace* previous_;
  std::vector<std::string> names_;
};

}  // namespace ib::storage::hooks
