// The targets of a PATCH or DELETE, found in a snapshot and re-checked under the writer (see
// actions.h for the two steps and why).
#include <nlohmann/json.hpp>

#include "server/rest/actions.h"
#include "server/rest/sql_builder.h"
#include "storage/executor.h"
#include "storage/guards/guards.h"
#include "storage/unit_of_work.h"

namespace ib::rest {

namespace {

// The filters and the command's guard over alias t0, without order or paging.
ReadPlan TargetPlan(const ActionInput& in, storage::guards::Command command) {
  ReadPlan plan;
  plan.table = &in.table;
  plan.alias = "t0";
  PlanConditions(in.api, in.plan, plan);
  auto guard = storage::guards::Using(in.table.name, command, in.plan.who, plan.alias);
  plan.guard = GuardSql{std::move(guard.sql), std::move(guard.params)};
  return plan;
}

}  // namespace

bool PinnedByKey(const ReadPlan& plan) {
  if (!plan.table->computed_columns.empty() || !plan.order.empty() || plan.limit ||
      plan.offset != 0 || !plan.where.is_and || plan.where.negated) {
    return false;
  }
  for (const ConditionNode& node : plan.where.children) {
    const auto* p = std::get_if<Predicate>(&node);
    if (p == nullptr || p->op != FilterOp::kEq || p->negated || !p->target.path.empty() ||
        p->values.size() != 1 || std::holds_alternative<std::monostate>(p->values[0])) {
      continue;
    }
    if (plan.table->IsUniqueKey({p->target.column->name})) return true;
  }
  return false;
}

FoundTargets FindTargets(const ActionInput& in, storage::guards::Command command) {
  ReadPlan plan = TargetPlan(in, command);
  for (const auto& [path, terms] : in.api.order) {
    if (path.empty()) detail::AddOrder(terms, plan);
  }
  if (auto it = in.api.limit.find({}); it != in.api.limit.end()) plan.limit = it->second;
  if (auto it = in.api.offset.find({}); it != in.api.offset.end()) plan.offset = it->second;
  if (PinnedByKey(plan)) return FoundTargets{0, true, BuildTargetRowids(plan)};
  nlohmann::json rows = nlohmann::json::array();
  in.db.Read(in.plan.who, in.clock, [&](storage::ReadScope& scope) {
    storage::Executor(scope.conn()).Run(BuildTargetRows(plan), [&](const storage::Row& r) {
      rows.push_back(nlohmann::json::array({r.Int(0), r.Text(1)}));
    });
  });
  FoundTargets found{rows.size(), false, {}};
  // The re-check applies the filters and the guard again, not the order or the paging.
  if (found.count > 0)
    found.writer_query = BuildRecheckTargets(TargetPlan(in, command), rows.dump());
  return found;
}

std::vector<int64_t> RecheckTargets(storage::Connection& conn, const FoundTargets& found) {
  std::vector<int64_t> rowids;
  if (found.writer_query.text.empty()) return rowids;  // the snapshot found nothing
  rowids.reserve(found.by_writer ? 1 : found.count);
  storage::Executor(conn).Run(found.writer_query,
                              [&](const storage::Row& r) { rowids.push_back(r.Int(0)); });
  return rowids;
}

}  // namespace ib::rest
