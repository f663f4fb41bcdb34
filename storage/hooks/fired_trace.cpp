#include "storage/hooks/fired_trace.h"

namespace ib::storage::hooks {
namespace {

// The live trace of this thread (for the writer thread: the one lent by the write it runs).
thread_local FiredTrace* current = nullptr;

}  // namespace

FiredTrace::FiredTrace() : previous_(current) { current = this; }

FiredTrace::~FiredTrace() { current = previous_; }

FiredTrace* FiredTrace::Current() { return current; }

FiredTrace::Lend::Lend(FiredTrace* trace) : previous_(current) { current = trace; }

FiredTrace::Lend::~Lend() { current = previous_; }

void FiredTrace::Record(std::string_view hook_name) {
  if (current) current->names_.emplace_back(hook_name);
}

}  // namespace ib::storage::hooks
