// Plans: the request resolved against the catalog. Every table and column here is a catalog
// object (so its Ident is safe SQL) and every operand is already a typed SqlValue, so the SQL
// builder only arranges pieces. Built by planner*.cpp; read by sql_builder and renderer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "server/rest/api_request.h"
#include "storage/catalog.h"
#include "storage/executor.h"
#include "storage/sql_value.h"

namespace ib::rest {

// A guard predicate: SQL over the fixed alias of its table, with its own bound values.
// `sql` is written by storage/guards with "?" placeholders in the order of `params`.
struct GuardSql {
  std::string sql;  // empty = no restriction
  std::vector<storage::SqlValue> params;
};

// A column, possibly followed by a JSON path, of the node it belongs to.
struct ColumnPath {
  const storage::Column* column = nullptr;
  std::vector<JsonPathStep> path;  // empty = the column itself
  bool as_text() const { return !path.empty() && path.back().as_text; }
};

// One output key of a node's JSON object.
struct OutputField {
  std::string key;
  ColumnPath source;
  bool cast_to_text = false;  // `::text`
};

struct ReadPlan;

// A leaf condition on a column of the node it sits in.
struct Predicate {
  ColumnPath target;
  FilterOp op = FilterOp::kEq;
  bool negated = false;
  std::vector<storage::SqlValue> values;  // one operand, or the `in`/like(any) items
  std::string is_value;                   // kIs: null | true | false | unknown
  std::string fts_config;
};

// `embed.is.null` / `embed.not.is.null` inside a condition: existence of an embed's rows;
// `or=(embed.col.eq.1,...)`: existence of an embed row matching `predicates`.
struct EmbedExists {
  size_t embed_index = 0;  // into the node's embeds
  bool exists = true;
  std::vector<Predicate> predicates;  // on the embed's table; empty = any visible row
};

struct Condition;
using ConditionNode = std::variant<Predicate, EmbedExists, std::unique_ptr<Condition>>;
struct Condition {
  bool is_and = true;
  bool negated = false;
  std::vector<ConditionNode> children;
  bool empty() const { return children.empty(); }
};

struct OrderPlan {
  ColumnPath target;
  std::optional<size_t> to_one_embed;  // order=author(name): the embed providing the column
  bool descending = false;
  bool nulls_first = false;  // resolved to the Postgres default when unspecified
};

// How an embedded node joins its parent: parent.parent_cols = child.child_cols.
struct JoinPlan {
  std::vector<const storage::Column*> parent_columns;
  std::vector<const storage::Column*> child_columns;
  bool to_one = false;  // object (or null) instead of array
  bool inner = false;   // `!inner`: parents without matching rows are dropped
};

struct ReadPlan {
  const storage::Table* table = nullptr;
  std::string alias;        // SQL alias of this node's table: t0 (top), t1, t2, ...
  bool count_only = false;  // `rel(count)`: the embed is [{"count": n}]
  std::string key;          // output key under the parent (embeds only)
  bool spread = false;
  std::vector<OutputField> fields;  // in select order; star expands to all columns
  std::vector<std::unique_ptr<ReadPlan>> embeds;
  std::vector<size_t> output_order;  // interleaving: index < fields.size() = field, else embed
  JoinPlan join;                     // embeds only
  Condition where;
  GuardSql guard;
  std::vector<OrderPlan> order;
  std::optional<int64_t> limit;
  int64_t offset = 0;
  // Writes' representations: read exactly the written rows, in the order they were written;
  // their rowids are bound into the built query once the write knows them (BindWrittenRows).
  bool written_rows = false;
  // Set-returning functions: the rows come from this SELECT instead of `table`'s storage.
  std::optional<storage::SqlQuery> source;
};

}  // namespace ib::rest
