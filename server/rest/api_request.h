// ApiRequest: the PostgREST query string and headers as syntax, with raw (unresolved) names.
// Built by query_params.cpp and preferences.cpp from text alone: no catalog, no database.
// The planner resolves every name here against the catalog; nothing here reaches SQL.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ib::rest {

// One step of a JSON path: `->key`, `->0`, `->>key` (as_text on the last arrow only).
struct JsonPathStep {
  std::string key;  // object key, or the index digits when is_index (`0`, `-1` from the end)
  bool is_index = false;
  bool as_text = false;  // true for `->>`
  bool operator==(const JsonPathStep& o) const {
    return key == o.key && is_index == o.is_index && as_text == o.as_text;
  }
};

// A column reference with an optional JSON path: `data->a->>b`.
struct Field {
  std::string name;
  std::vector<JsonPathStep> path;
  std::string ToString() const;
  bool operator==(const Field& o) const { return name == o.name && path == o.path; }
};

enum class JoinType { kDefault, kLeft, kInner };

// One item of `select=`.
struct SelectItem {
  enum class Kind { kStar, kColumn, kEmbed };
  Kind kind = Kind::kColumn;
  // kColumn
  Field field;
  std::string alias;  // empty = none
  std::string cast;   // `::text`; empty = none
  // kEmbed: `alias:relation!hint!inner(children)`; `...relation(...)` sets spread
  std::string relation;
  std::string hint;
  JoinType join = JoinType::kDefault;
  bool spread = false;
  std::vector<SelectItem> children;
  std::string ToString() const;
};

enum class FilterOp {
  kEq,
  kNeq,
  kGt,
  kGte,
  kLt,
  kLte,
  kLike,
  kIlike,
  kMatch,
  kImatch,
  kIs,
  kIsDistinct,
  kIn,
  kCs,
  kCd,
  kOv,
  kSl,
  kSr,
  kNxl,
  kNxr,
  kAdj,  // range operators (parsed; the planner refuses them)
  kFts,
  kPlfts,
  kPhfts,
  kWfts,
  kLikeAll,
  kLikeAny,
  kIlikeAll,
  kIlikeAny,  // like(all).{..} etc.
};

const char* FilterOpName(FilterOp op);

// `not.`? op `(modifier)`? `.` value
struct Operation {
  FilterOp op = FilterOp::kEq;
  bool negated = false;
  std::string value;               // raw operand text (eq/like/is/... single value)
  std::vector<std::string> items;  // kIn: the unquoted list items; like(all/any): patterns
  std::string fts_config;          // `fts(english)`
  std::string ToString() const;
};

// `col=op.value` or `embed.col=op.value`; embed_path is empty for the top level.
struct Filter {
  Field field;
  Operation operation;
  // Only inside a logic tree: the embed prefix of a condition (`comments.id.eq.1` -> {"comments"}),
  // relative to the tree's own level. Top-level filters keep theirs in ApiRequest::filters.
  std::vector<std::string> embed_path;
  std::string ToString() const;  // `[embed.]field.[not.]op.value`, the logic-tree form
};

// `or=(a.eq.1,and(b.gt.2,c.lt.3))`, `not.and=(...)`.
struct LogicTree;
using LogicNode = std::variant<Filter, std::unique_ptr<LogicTree>>;
struct LogicTree {
  bool is_and = false;
  bool negated = false;
  std::vector<LogicNode> children;
  std::string ToString() const;
};

// `order=a.desc.nullsfirst`; `order=author(name).desc` orders by a to-one embed's column.
struct OrderTerm {
  std::string relation;  // non-empty for `relation(col)` terms
  Field field;
  bool descending = false;
  std::optional<bool> nulls_first;  // unset = Postgres default (asc: last, desc: first)
  std::string ToString() const;
};

// Embed path prefix of a parameter: `comments.author.name=eq.x` -> {"comments","author"}.
using EmbedPath = std::vector<std::string>;

struct ApiRequest {
  std::vector<SelectItem> select;  // empty when `select` absent (means `*`)
  bool has_select = false;
  std::vector<std::pair<EmbedPath, Filter>> filters;
  std::vector<std::pair<EmbedPath, LogicTree>> logic;
  std::map<EmbedPath, std::vector<OrderTerm>> order;
  std::map<EmbedPath, int64_t> limit;
  std::map<EmbedPath, int64_t> offset;
  std::optional<std::vector<std::string>> columns;      // `columns=`
  std::optional<std::vector<std::string>> on_conflict;  // `on_conflict=`
  // RPC GET/HEAD: query keys named as function arguments, with their raw text values.
  std::vector<std::pair<std::string, std::string>> rpc_args;
  // A canonical query string (`select=..&path.col=op.v&or=(..)&order=..`), for tests and logs.
  std::string ToString() const;
};

// The `Prefer` header, parsed leniently (unknown tokens ignored), as PostgREST does.
enum class ReturnPreference { kUnset, kMinimal, kHeadersOnly, kRepresentation };
enum class CountPreference { kNone, kExact, kPlanned, kEstimated };
enum class Resolution { kNone, kMergeDuplicates, kIgnoreDuplicates };

struct Preferences {
  ReturnPreference return_pref = ReturnPreference::kUnset;
  CountPreference count = CountPreference::kNone;
  Resolution resolution = Resolution::kNone;
  bool missing_default = false;
  bool handling_strict = false;
  std::optional<int64_t> max_affected;
  bool tx_rollback = false;
  std::vector<std::string> applied;  // tokens honoured, for Preference-Applied
  std::vector<std::string> invalid;  // unknown tokens (an error only under handling=strict)
  std::string ToString() const;      // e.g. `return=representation,count=exact`; "" when default
};

}  // namespace ib::rest
