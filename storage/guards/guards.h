// Guards: (table, command, principal) -> the SQL predicate that a query must AND in, built
// from the policy table in policies.cpp. Default deny: no policy for the caller's role means
// the predicate is false ("0"). service_role bypasses everything (one line in guards.cpp).
// Pure functions of their inputs; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/guards/policy.h"
#include "storage/principal.h"
#include "storage/sql_value.h"

namespace ib::storage::guards {

struct GuardPredicate {
  std::string sql;  // empty = no restriction; else a parenthesised predicate with ? params
  std::vector<SqlValue> params;
  bool unrestricted() const { return sql.empty(); }
};

// Rows of `table` (aliased `alias` in the query) that `who` may see, update or delete.
GuardPredicate Using(std::string_view table, Command command, const Principal& who,
                     std::string_view alias);

// What new or updated rows of `table` must satisfy for `who`.
GuardPredicate Check(std::string_view table, Command command, const Principal& who,
                     std::string_view alias);

// The first column of `written` that `who` may not write on `table` at all, if any.
std::optional<std::string> ProtectedColumnWritten(std::string_view table,
                                                  const std::vector<std::string>& written,
                                                  const Principal& who);

// A column `who` may write only with certain values, and the predicate the new row must pass.
struct ColumnCondition {
  std::string column;
  GuardPredicate allowed;
};
// The conditions a new row of `table` written by `who` must pass: on insert (`written` =
// nullptr) every condition of the table, on update those naming a column of `written`.
// Empty for service_role.
std::vector<ColumnCondition> ColumnConditions(std::string_view table,
                                              const std::vector<std::string>* written,
                                              const Principal& who, std::string_view alias);

}  // namespace ib::storage::guards
