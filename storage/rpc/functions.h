// The RPC implementations registered in registry.cpp, one file each.
#pragma once

#include "storage/rpc/rpc.h"

namespace ib::storage::rpc {

}  // namespace ib::storage::rpc
