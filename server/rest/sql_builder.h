// The SQL builder: plans -> one SQL statement each, with every value bound. Identifiers come
// only from catalog Idents, and request text reaches the statement only as parameters, so
// the SQL text is a function of the plan's shape (which keeps the statement cache warm).
// Embeds are JSON subqueries (json_object/json_group_array) inside the one statement.
// The write actions' lookups and guard checks are built here too, so no other file of
// server/rest holds SQL text.
#pragma once

#include <string>
#include <vector>

#include "server/rest/plan.h"
#include "storage/executor.h"
#include "storage/values.h"

namespace ib::rest {

// How the renderer writes one result column of a read.
struct RenderColumn {
  enum class Kind { kValue, kRawJson, kText };
  Kind kind = Kind::kValue;
  std::string key;
  const storage::ColumnType* type = nullptr;  // kValue
};

struct ReadQuery {
  storage::SqlQuery sql;
  std::vector<RenderColumn> columns;
  // For a plan of written rows (plan.written_rows): the parameter holding their rowids, so that a
  // query built before a write is given the rows once the write knows them.
  std::optional<size_t> written_param;
};

// Binds `rowids` as the written rows of a query built from a plan with `written_rows` set.
void BindWrittenRows(ReadQuery& query, const std::vector<int64_t>& rowids);

// SELECT of the plan's rows (paged).
ReadQuery BuildRead(const ReadPlan& plan);
// SELECT count(*) of the rows the plan's filters match, ignoring paging.
storage::SqlQuery BuildCount(const ReadPlan& plan);
// SELECT rowid, json_array(<primary key>) of the rows the plan's filters (and its guard)
// match, with its order and paging: the targets of an UPDATE or DELETE, found in a snapshot.
storage::SqlQuery BuildTargetRows(const ReadPlan& plan);
// SELECT rowid of the rows the plan's filters (and its guard) match, with its order and paging:
// the targets found under the writer, where the key is not needed.
storage::SqlQuery BuildTargetRowids(const ReadPlan& plan);
// SELECT rowid of the `found` rows (a JSON array of [rowid, key] pairs as BuildTargetRows
// yields them) that still exist with that key and still pass the plan's guard and filters,
// in `found` order; the plan's order and paging are not applied again.
storage::SqlQuery BuildRecheckTargets(const ReadPlan& plan, std::string found);

// --- writes ---

// SELECT rowid of the row whose `target` columns equal `values` (an upsert's conflict).
storage::SqlQuery BuildConflictLookup(const storage::Table& table,
                                      const std::vector<const storage::Column*>& target,
                                      std::vector<storage::SqlValue> values);

// SELECT count(*): 1 when `guard` (over alias t0) lets row `rowid` through, else 0.
storage::SqlQuery BuildGuardedRowCount(const storage::Table& table, int64_t rowid,
                                       const GuardSql& guard);

// SELECT count(*) of the stored rows among `rowids` that fail `check` (over alias t0). A
// NULL predicate fails, as a WITH CHECK does in Postgres.
storage::SqlQuery BuildFailingStoredRows(const storage::Table& table,
                                         const std::vector<int64_t>& rowids, const GuardSql& check);

// SELECT count(*) (0 or 1) that is 1 when the row an INSERT would write fails `check`: the
// `given` columns take `values`, every other column its declared default (NULL without one).
// Lets the guard answer before any constraint can.
storage::SqlQuery BuildFailingInsertCandidate(const storage::Table& table,
                                              const std::vector<const storage::Column*>& given,
                                              std::vector<storage::SqlValue> values,
                                              const GuardSql& check);

// SELECT count(*) of the rows among `rowids` that would fail `check` once the `changed`
// columns take `values` (the rows an UPDATE would write, evaluated before it runs).
storage::SqlQuery BuildFailingUpdateCandidates(const storage::Table& table,
                                               const std::vector<int64_t>& rowids,
                                               const std::vector<const storage::Column*>& changed,
                                               std::vector<storage::SqlValue> values,
                                               const GuardSql& check);

}  // namespace ib::rest
