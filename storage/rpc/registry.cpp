// Every RPC of the project as one row: name, arguments, result shape, callers, implementation.
// The implementations live one per file (interview_stats.cpp, ...), declared in functions.h.
#include "storage/rpc/functions.h"
#include "storage/rpc/rpc.h"

namespace ib::storage::rpc {

const std::vector<Function>& AllFunctions() {
  static const std::vector<Function> kFunctions = {
  };
  return kFunctions;
}

const Function* FindFunction(std::string_view name) {
  for (const auto& f : AllFunctions()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const SqlValue& CallArgs::Get(std::string_view name) const {
  static const SqlValue kNull;
  for (const auto& [n, v] : values) {
    if (n == name) return v;
  }
  return kNull;
}

}  // namespace ib::storage::rpc
