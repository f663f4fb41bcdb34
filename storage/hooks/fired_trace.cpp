#include "storage/hooks/fired_trace.h"

namespace ib::storage::hooks {
namespace {

// The live trace of this thread; hooks run on the thread of the write that fired them.
thread_local FiredTrace* current = nullptr;

}  // namespace

FiredTrace::FiredTrace() : previous_(current) { current = this; }

FiredTrace::~FiredTrace() { current = previous_; }

void FiredTrace::Record(std::string_view hook_name) {
  if (current) current->names_.emplace_back(hook_name);
}

}  // namespace ib::storage::hooks
