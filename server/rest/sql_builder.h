// The SQL builder: plans -> one SQL statement each, with every value bound. Identifiers come
// only from catalog Idents, and request text reaches the statement only as parameters, so
// the SQL text is a function of the plan's shape (which keeps the statement cache warm).
// Embeds are JSON subqueries (json_object/json_group_array) inside the one statement.
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
};

// SELECT of the plan's rows (paged).
ReadQuery BuildRead(const ReadPlan& plan);
// SELECT count(*) of the rows the plan's filters match, ignoring paging.
storage::SqlQuery BuildCount(const ReadPlan& plan);
// SELECT rowid of the rows the plan's filters (and its guard) match, with its order and
// paging: the targets of an UPDATE or DELETE.
storage::SqlQuery BuildTargetRowids(const ReadPlan& plan);

}  // namespace ib::rest
