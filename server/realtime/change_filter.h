// ChangeFilter: the `filter` of a postgres_changes binding (`user_id=eq.<uuid>`,
// `score=gt.50`, `difficulty=in.(easy,medium)`, `id=gt.0,id=lt.100`, `status=not.eq.done`),
// parsed once against the table's columns and then tested against each changed row. Values are
// converted to the column's type with the REST codec (storage/values.h) and compared as typed
// values, so `score=gt.50` is numeric and a timestamptz compares as an instant. A NULL (or
// absent) column matches no operator but `is.null` and `isdistinct`. Pure; thread-safe once
// parsed.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/catalog.h"
#include "storage/change_log.h"
#include "storage/sql_value.h"

namespace re2 {
class RE2;
}

namespace ib::realtime {

// Why a filter cannot be served: the text of the `system` error frame the channel gets.
struct FilterError {
  std::string message;
};

class ChangeFilter {
 public:
  enum class Op {
    kEq,
    kNeq,
    kLt,
    kLte,
    kGt,
    kGte,
    kIn,
    kLike,
    kIlike,
    kMatch,
    kImatch,
    kIs,
    kIsDistinct
  };

  struct Condition {
    std::string column;
    const storage::ColumnType* type = nullptr;  // the catalog's (outlives the filter)
    Op op = Op::kEq;
    bool negated = false;                   // `not.` prefix
    std::vector<storage::SqlValue> values;  // one; several for `in`; NULL for `is.null`
    std::string pattern;                    // like/ilike/match/imatch, as written
    std::string is_keyword;                 // `is`: "null", "true", "false" or "unknown"
  };

  // Parses `text` for `table`. Empty or blank text is the filter that matches every row.
  // Conditions are joined by ',' (AND); each is `<column>=<op>.<value>`, split at the first
  // '=' and then at the first '.'. A value containing `,()"\` or edge spaces is written in
  // double quotes with `\` escapes. Errors: an unknown or computed column, an unknown
  // operator, a value the column's type cannot read, `in` without parentheses or with more than
  // kMaxInValues, a bad like/match pattern, text or conditions past the bounds below.
  static std::variant<ChangeFilter, FilterError> Parse(std::string_view text,
                                                       const storage::Table& table);

  // Whether `row` (storage values by column name) passes every condition. A column missing
  // from `row` counts as NULL: a DELETE's old record holds only the primary key, so a filter
  // on another column never matches it.
  bool Matches(const storage::ChangeRow& row) const;

  bool matches_everything() const { return conditions_.empty(); }
  const std::vector<Condition>& conditions() const { return conditions_; }

  static constexpr size_t kMaxInValues = 100;
  static constexpr size_t kMaxConditions = 16;
  static constexpr size_t kMaxFilterBytes = 4096;

 private:
  std::vector<Condition> conditions_;
  // Per condition: the compiled pattern of like/ilike (translated to a regex) and match/imatch,
  // else null. Shared so a parsed filter stays copyable; RE2 matching is thread-safe.
  std::vector<std::shared_ptr<const re2::RE2>> patterns_;
};

}  // namespace ib::realtime
