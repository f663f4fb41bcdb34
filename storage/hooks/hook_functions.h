// The hook functions registered in registry.cpp, one file per family:
// updated_at.cpp, new_user.cpp, feedback_link.cpp, interview_counters.cpp, completion.cpp.
#pragma once

#include "storage/hooks/hook.h"

namespace ib::storage::hooks {

// 1. updated_at := now() on update (BEFORE UPDATE).
void SetUpdatedAt(HookContext& ctx, HookRow& row);

}  // namespace ib::storage::hooks
