// Row guards for storage rows, applied in SQL the way Postgres applies RLS: USING decides which
// stored rows a command may touch (a predicate ANDed into the store's query), WITH CHECK decides
// whether a new row may be written and is evaluated on the candidate values before any write,
// so a refusal is never preceded by a constraint error that would reveal someone else's row.
// The rules themselves are rows of storage/guards/policies.cpp. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/guards/guards.h"
#include "storage/hooks/hook.h"

namespace ib::storage {
class Catalog;
class Connection;
}  // namespace ib::storage

namespace ib::storage::objects {

// Whether `candidate` (at least the columns the table's policies read) passes the WITH CHECK of
// (table, command) for `who`. Runs one SELECT over the values; no row is written.
bool CheckAdmits(Connection& conn, const Catalog& catalog, const Principal& who,
                 std::string_view table, guards::Command command, const hooks::RowData& candidate);

// " AND <USING predicate>" for `alias`, with its parameters appended to `params` (nothing when
// `who` is unrestricted). Append it after every other '?' of the query.
std::string AndUsing(std::string_view table, guards::Command command, const Principal& who,
                     std::string_view alias, std::vector<SqlValue>& params);

}  // namespace ib::storage::objects
