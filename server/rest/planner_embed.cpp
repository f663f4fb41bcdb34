// Planner pass: resolve `select=rel(...)` to a relationship found from declared foreign keys,
// as PostgREST does from its schema cache: hint by FK column or constraint name, to-one when
// the FK is on the parent (or is unique on the child), PGRST200 when none, 300 PGRST201 when
// several relationships fit.
#include "server/rest/planner.h"
#include "storage/error.h"

namespace ib::rest::detail {

using storage::Error;
using storage::ForeignKey;

namespace {

bool MatchesHint(const ForeignKey& fk, const std::string& hint) {
  if (hint.empty()) return true;
  if (fk.name == hint) return true;
  if (fk.columns.size() == 1 && (fk.columns[0] == hint || fk.ref_columns[0] == hint)) return true;
  return false;
}

std::vector<const storage::Column*> Columns(const storage::Table& table,
                                            const std::vector<std::string>& names) {
  std::vector<const storage::Column*> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(table.FindColumn(n));
  return out;
}

Error Ambiguous(const ReadPlan& parent, const SelectItem& item,
                const std::vector<const ForeignKey*>& candidates) {
  std::string details = "[";
  std::string hint = "Try changing '" + item.relation + "' to one of the following: ";
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (i) {
      details += ",";
      hint += ", ";
    }
    details += "{\"cardinality\":\"many-to-one\",\"relationship\":\"" + candidates[i]->name +
               "\",\"embedding\":\"" + parent.table->name + " with " + item.relation + "\"}";
    hint += "'" + item.relation + "!" + candidates[i]->name + "'";
  }
  details += "]";
  hint += ". Find the desired relationship in the 'details' key.";
  return Error::AmbiguousEmbed(parent.table->name, item.relation, std::move(details),
                               std::move(hint));
}

}  // namespace

void ResolveEmbed(const SelectItem& item, const PlanContext& ctx, const ReadPlan& parent,
                  ReadPlan& child) {
  const storage::Table* target = ctx.catalog.FindExposedTable(item.relation);
  std::vector<const ForeignKey*> candidates;
  if (target) {
    for (const ForeignKey* fk : ctx.catalog.ForeignKeysBetween(*parent.table, *target)) {
      if (MatchesHint(*fk, item.hint)) candidates.push_back(fk);
    }
  }
  if (candidates.empty()) {
    throw Error::NoRelationship(parent.table->name, item.relation, item.hint);
  }
  if (candidates.size() > 1) throw Ambiguous(parent, item, candidates);
  const ForeignKey& fk = *candidates[0];

  child.table = target;
  child.key = item.alias.empty() ? item.relation : item.alias;
  child.spread = item.spread;
  child.join.inner = item.join == JoinType::kInner;
  if (fk.table == parent.table->name && fk.ref_table == target->name &&
      // a self-reference is read parent -> child unless the hint names the referenced side
      (parent.table != target || item.hint.empty() || MatchesHint(fk, item.hint))) {
    // The FK is on the parent: many-to-one, an object.
    child.join.parent_columns = Columns(*parent.table, fk.columns);
    child.join.child_columns = Columns(*target, fk.ref_columns);
    child.join.to_one = true;
  } else {
    // The FK is on the child: one-to-many (one-to-one when the FK columns are unique there).
    child.join.parent_columns = Columns(*parent.table, fk.ref_columns);
    child.join.child_columns = Columns(*target, fk.columns);
    child.join.to_one = target->IsUniqueKey(fk.columns);
  }
  if (child.spread && !child.join.to_one) {
    throw Error::SpreadNotToOne(parent.table->name, item.relation);
  }
}

}  // namespace ib::rest::detail
