// Planner pass: filters, logic trees and order terms -> typed Conditions and OrderPlans.
// Operands become SqlValues through the value codec here, so a bad value is refused with its
// Postgres SQLSTATE (22P02, 22007, 22021 ...) before any SQL exists.
#include <algorithm>
#include <cctype>

#include "server/rest/planner.h"
#include "storage/error.h"
#include "storage/regex.h"
#include "storage/values.h"

namespace ib::rest::detail {

using storage::ColumnType;
using storage::Error;
using storage::SqlValue;
using storage::ValueKind;

namespace {

Error NotImplemented(FilterOp op) { return Error::NotImplemented(FilterOpName(op)); }

// PostgREST sends every operand to PostgreSQL as a text parameter, and PostgreSQL refuses a 0x00
// byte in any text it receives (22021), whatever the operator or the column's type.
void RefuseNulBytes(const Operation& op) {
  const auto has_nul = [](std::string_view s) { return s.find('\0') != std::string_view::npos; };
  if (has_nul(op.value) || std::any_of(op.items.begin(), op.items.end(), has_nul)) {
    throw Error::NulByteInParameter();
  }
}

// PostgREST lets `*` stand for `%` in like patterns, since `%` is awkward in URLs.
std::string LikePattern(std::string_view value) {
  std::string out(value);
  std::replace(out.begin(), out.end(), '*', '%');
  return out;
}

// The type an operand is converted to: the column's, or text/json for a JSON path.
ColumnType OperandType(const ColumnPath& target) {
  if (target.path.empty()) {
    ColumnType t = target.column->type;
    // Postgres compares a numeric(p,s) column with an unconstrained numeric literal: no
    // rounding to the column's scale and no overflow for `score=gt.1000`.
    if (t.kind == ValueKind::kDecimal) {
      t.precision = 0;
      t.scale = -1;
    }
    return t;
  }
  ColumnType t;
  t.kind = target.as_text() ? ValueKind::kText : ValueKind::kJsonb;
  t.declared = target.as_text() ? "text" : "jsonb";
  return t;
}

bool IsContainerKind(ValueKind kind) {
  return kind == ValueKind::kJsonb || kind == ValueKind::kTextArray;
}

}  // namespace

Predicate PlanPredicate(const storage::Table& table, const Filter& filter) {
  const Operation& op = filter.operation;
  Predicate p;
  p.target = ResolveField(table, filter.field);
  // After the field: PostgreSQL parses the query (an unknown column, 42703) before it reads the
  // parameters. `is.` takes keywords, not text.
  if (op.op != FilterOp::kIs) RefuseNulBytes(op);
  p.op = op.op;
  p.negated = op.negated;
  ColumnType type = OperandType(p.target);
  switch (op.op) {
    case FilterOp::kEq:
    case FilterOp::kNeq:
    case FilterOp::kGt:
    case FilterOp::kGte:
    case FilterOp::kLt:
    case FilterOp::kLte:
    case FilterOp::kIsDistinct:
      p.values.push_back(storage::FromText(type, op.value));
      break;
    case FilterOp::kLike:
    case FilterOp::kIlike:
      p.values.emplace_back(LikePattern(op.value));
      break;
    case FilterOp::kLikeAll:
    case FilterOp::kLikeAny:
    case FilterOp::kIlikeAll:
    case FilterOp::kIlikeAny:
      for (const auto& item : op.items) p.values.emplace_back(LikePattern(item));
      break;
    case FilterOp::kMatch:
    case FilterOp::kImatch:
      // A bad or oversized pattern is refused here (2201B), before any SQL runs.
      storage::ValidateRegex(op.value, op.op == FilterOp::kImatch);
      p.values.emplace_back(op.value);
      break;
    case FilterOp::kIs: {
      std::string v = op.value;
      std::transform(v.begin(), v.end(), v.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      p.is_value = v == "not_null" ? "not_null" : v;
      break;
    }
    case FilterOp::kIn:
      for (const auto& item : op.items) p.values.push_back(storage::FromText(type, item));
      break;
    case FilterOp::kCs:
    case FilterOp::kCd:
    case FilterOp::kOv:
      if (!IsContainerKind(type.kind)) throw NotImplemented(op.op);
      p.values.push_back(storage::FromText(type, op.value));
      break;
    default:
      throw NotImplemented(op.op);
  }
  return p;
}

namespace {

constexpr int kMaxLogicDepth = 64;

// `or=(comments.id.eq.1)`: true when a visible embedded row matches the condition.
EmbedExists EmbedCondition(const Filter& filter, const ReadPlan& node) {
  if (filter.embed_path.size() != 1) {
    throw Error::ParseFailure("failed to parse logic tree",
                              "conditions may reach one embedded level only");
  }
  for (size_t i = 0; i < node.embeds.size(); ++i) {
    if (node.embeds[i]->key != filter.embed_path[0]) continue;
    EmbedExists e{i, true, {}};
    e.predicates.push_back(PlanPredicate(*node.embeds[i]->table, filter));
    return e;
  }
  throw Error::NotEmbedded(filter.embed_path[0]);
}

void ConvertTree(const LogicTree& tree, const PlanContext& ctx, ReadPlan& node, Condition& out,
                 int depth) {
  if (depth > kMaxLogicDepth) {
    throw Error::ParseFailure("logic tree nested too deeply", "at most 64 levels are allowed");
  }
  out.is_and = tree.is_and;
  out.negated = tree.negated;
  for (const auto& child : tree.children) {
    if (const auto* filter = std::get_if<Filter>(&child)) {
      if (!filter->embed_path.empty()) {
        out.children.emplace_back(EmbedCondition(*filter, node));
        continue;
      }
      // `embed.is.null` inside a tree tests the embed's existence (PostgREST allows it in or).
      bool embed_test = filter->field.path.empty() && filter->operation.op == FilterOp::kIs &&
                        !node.table->FindColumn(filter->field.name);
      if (embed_test) {
        for (size_t i = 0; i < node.embeds.size(); ++i) {
          if (node.embeds[i]->key == filter->field.name) {
            out.children.emplace_back(EmbedExists{i, filter->operation.negated, {}});
            embed_test = false;
            break;
          }
        }
        if (!embed_test) continue;
      }
      out.children.emplace_back(PlanPredicate(*node.table, *filter));
    } else {
      auto sub = std::make_unique<Condition>();
      ConvertTree(*std::get<std::unique_ptr<LogicTree>>(child), ctx, node, *sub, depth + 1);
      out.children.emplace_back(std::move(sub));
    }
  }
}

}  // namespace

void AddLogicTree(const LogicTree& tree, const PlanContext& ctx, ReadPlan& node) {
  auto cond = std::make_unique<Condition>();
  ConvertTree(tree, ctx, node, *cond, 0);
  node.where.children.emplace_back(std::move(cond));
}

void AddOrder(const std::vector<OrderTerm>& terms, ReadPlan& node) {
  for (const auto& term : terms) {
    OrderPlan plan;
    if (term.relation.empty()) {
      plan.target = ResolveField(*node.table, term.field);
    } else {
      const ReadPlan* embed = nullptr;
      for (size_t i = 0; i < node.embeds.size(); ++i) {
        if (node.embeds[i]->key == term.relation) {
          embed = node.embeds[i].get();
          plan.to_one_embed = i;
        }
      }
      if (!embed) {
        throw Error::NotEmbedded(term.relation);
      }
      if (!embed->join.to_one) {
        throw Error::RelatedOrderNotToOne(term.relation);
      }
      plan.target = ResolveField(*embed->table, term.field);
    }
    plan.descending = term.descending;
    // Postgres defaults: ASC puts nulls last, DESC puts them first (SQLite does the opposite).
    plan.nulls_first = term.nulls_first.value_or(term.descending);
    node.order.push_back(std::move(plan));
  }
}

}  // namespace ib::rest::detail
