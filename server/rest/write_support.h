// Pieces shared by the write actions (insert, update, delete): body parsing, column
// resolution against the catalog, protected-column refusal and the guard's WITH CHECK on
// rows about to be written and on written rows. Internal to server/rest.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/rest/plan.h"
#include "storage/catalog.h"
#include "storage/db.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/guards/guards.h"
#include "storage/guards/policy.h"
#include "storage/principal.h"

namespace ib::rest {

// The request body as JSON; 400 PGRST102 "Empty or invalid json" when it is not, and 400 22P02
// when it nests deeper than storage::kMaxJsonDepth, refused by a pre-scan before any tree is
// built (storage/json_input.h).
nlohmann::json ParseJsonBody(std::string_view body);

// The columns a write names: `columns=` when given (unknown -> PGRST204), else the keys of
// the (first) object; every object of an array must then have the same keys (PGRST102).
// Unknown body keys are refused with PGRST204 unless `columns=` filtered them out.
std::vector<const storage::Column*> ResolveWriteColumns(
    const storage::Table& table, const std::vector<const nlohmann::json*>& rows,
    const std::optional<std::vector<std::string>>& columns_param);

// 428C9 when a write names a column computed when read (storage/computed_columns.h), as
// Postgres refuses a value for a generated column; `insert` picks Postgres's wording.
void RefuseComputedColumns(const storage::Table& table,
                           const std::vector<const storage::Column*>& columns, bool insert);

// 42501 (401 anon / 403 otherwise) when `who` writes a protected column of `table`; columns
// writable with one value only are checked with the candidate rows below instead.
void RefuseProtectedColumns(const storage::Table& table,
                            const std::vector<const storage::Column*>& columns,
                            const storage::Principal& who);

// The guard's WITH CHECK for rows just written: 42501 "new row violates row-level security
// policy for table" unless every row passes. Runs on the write transaction's connection.
void CheckWrittenRows(storage::Connection& conn, const storage::Table& table,
                      storage::guards::Command command, const storage::Principal& who,
                      const std::vector<int64_t>& rowids);

// The update guard's WITH CHECK on the rows `rowids` would become once `changed` take
// `values`, evaluated before the UPDATE so the guard answers before any constraint; then the
// conditions of the columns writable with one value only (ProtectedColumnViolation).
void CheckUpdateCandidates(storage::Connection& conn, const storage::Table& table,
                           const storage::Principal& who, const std::vector<int64_t>& rowids,
                           const std::vector<const storage::Column*>& changed,
                           const std::vector<storage::SqlValue>& values);

// A guard predicate as the SQL builder takes it.
GuardSql ToGuardSql(storage::guards::GuardPredicate guard);

// The integer a count(*) query answers (0 when it yields nothing).
int64_t CountOf(storage::Executor& ex, const storage::SqlQuery& query);

storage::Error RlsViolation(const storage::Table& table, const storage::Principal& who);
// 42501 "permission denied for column C of table T" (401 for anon, else 403).
storage::Error ProtectedColumnViolation(const storage::Table& table, const std::string& column,
                                        const storage::Principal& who);

}  // namespace ib::rest
