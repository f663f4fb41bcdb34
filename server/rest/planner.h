// The planner: ApiRequest + Catalog + guards -> plans. Resolves every name through the catalog
// (unknown table PGRST205, column 42703, relationship PGRST200/201, embed prefix PGRST108),
// converts every operand to a typed SqlValue with the value codec, and asks storage/guards
// for each node's predicate, so hidden rows are filtered in SQL. Runs no SQL. Pure.
#pragma once

#include <memory>
#include <string_view>

#include "server/rest/api_request.h"
#include "server/rest/plan.h"
#include "storage/catalog.h"
#include "storage/guards/policy.h"
#include "storage/principal.h"

namespace ib::rest {

struct PlanContext {
  const storage::Catalog& catalog;
  const storage::Principal& who;
  int64_t max_rows = 0;    // 0 = no cap
  int64_t now_micros = 0;  // the request's clock (hooks stamp rows with it)
};

// The exposed table named in the path, or 404 PGRST205.
const storage::Table& ResolveTable(const storage::Catalog& catalog, std::string_view name);

// A read of `table` shaped by select=, filtered, ordered and paged, with guards on every node.
// `guard_command` is kSelect for reads; writes reuse the tree with their own guard.
std::unique_ptr<ReadPlan> PlanRead(const ApiRequest& request, const PlanContext& ctx,
                                   const storage::Table& table);

// Resolves `select=` only (no filters/order/paging): the shape of a write's representation.
std::unique_ptr<ReadPlan> PlanSelectOnly(const ApiRequest& request, const PlanContext& ctx,
                                         const storage::Table& table);

// Conditions of the top-level node only (for UPDATE/DELETE targets): filters and logic trees
// without embed prefixes. Embedded filters are refused with PGRST108 by the caller's plan.
void PlanConditions(const ApiRequest& request, const PlanContext& ctx, ReadPlan& node);

// --- pieces shared by the planner files (planner.cpp, planner_filters.cpp, planner_embed.cpp)
namespace detail {

struct AliasCounter {
  int next = 0;
  std::string Next() { return "t" + std::to_string(next++); }
};

void ExpandSelect(const std::vector<SelectItem>& items, const PlanContext& ctx, ReadPlan& node,
                  AliasCounter& aliases);
void ResolveEmbed(const SelectItem& item, const PlanContext& ctx, const ReadPlan& parent,
                  ReadPlan& child);
ReadPlan& FindNode(ReadPlan& root, const EmbedPath& path);
ColumnPath ResolveField(const storage::Table& table, const Field& field);
Predicate PlanPredicate(const storage::Table& table, const Filter& filter);
void AddLogicTree(const LogicTree& tree, const PlanContext& ctx, ReadPlan& node);
void AddOrder(const std::vector<OrderTerm>& terms, ReadPlan& node);
void AttachGuards(ReadPlan& node, const PlanContext& ctx);

}  // namespace detail
}  // namespace ib::rest
