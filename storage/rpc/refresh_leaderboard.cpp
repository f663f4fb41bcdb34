// refresh_leaderboard(): service_role only. Recomputes every leaderboard row from the rows
// (total, and the weekly / monthly windows, which age with the clock rather than with writes),
// total_xp from the profiles, and all ranks. Writes through a RowWriter in the request's
// write transaction; returns void (204).
#include "storage/leaderboard.h"
#include "storage/row_writer.h"
#include "storage/rpc/functions.h"

namespace ib::storage::rpc {

nlohmann::json RefreshLeaderboard(CallContext& ctx) {
  RowWriter writer(ctx.conn, ctx.catalog, ctx.who, ctx.now_micros);
  leaderboard::RefreshAll(writer);
  return nullptr;
}

}  // namespace ib::storage::rpc
