// Policy: one row-level security rule, named like the Postgres policy it ports. Predicates are
// SQL over the guarded row, written with two bound names only: `$t` (the row's table alias)
// and `:uid` (auth.uid(), always a bound parameter). Permissive rows OR together; a command
// with no row for the caller's role is denied. Protected columns are listed per table, some
// writable by their owner with one value only (profiles.email: the caller's own auth email).
#pragma once

#include <string_view>
#include <vector>

#include "storage/principal.h"

namespace ib::storage::guards {

enum class Command { kSelect, kInsert, kUpdate, kDelete };

struct Policy {
  std::string_view name;  // the Postgres policy name
  std::string_view table;
  Command command;
  RoleSet roles;               // service_role needs none: it bypasses all guards
  std::string_view using_sql;  // rows the caller may see/update/delete ("" = n/a)
  std::string_view check_sql;  // new rows must satisfy (insert/update; "" = n/a)
};

struct ProtectedColumns {
  std::string_view table;
  std::vector<std::string_view> columns;  // only service_role may write these...
  // ...unless this is set: then a non-service caller may write them only with values that
  // leave the new row satisfying it (same template language as the policies). On insert it
  // applies to every new row, on update only when one of `columns` is written.
  std::string_view allowed_sql = "";
};

// Every policy of the project: storage/guards/policies.cpp.
const std::vector<Policy>& AllPolicies();
const std::vector<ProtectedColumns>& AllProtectedColumns();

}  // namespace ib::storage::guards
