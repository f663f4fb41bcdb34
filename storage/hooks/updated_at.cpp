// Hook 1 (update_updated_at_column): any update sets updated_at to the server's clock,
// whatever the client sent.
#include "storage/hooks/hook_functions.h"
#include "storage/values.h"

namespace ib::storage::hooks {

void SetUpdatedAt(HookContext& ctx, HookRow& row) {
  row.row["updated_at"] = FormatTimestamptz(ctx.now_micros);
}

}  // namespace ib::storage::hooks
