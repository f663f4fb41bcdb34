// GET / HEAD on a table: one SELECT (plus a count(*) in the same snapshot when asked for).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "server/rest/actions.h"
#include "server/rest/renderer.h"
#include "server/rest/sql_builder.h"
#include "storage/copied_rows.h"
#include "storage/error.h"
#include "storage/executor.h"
#include "storage/unit_of_work.h"

namespace ib::rest {

using storage::Error;

std::string_view ContentTypeFor(MediaType media) {
  switch (media) {
    case MediaType::kSingleObject:
      return "application/vnd.pgrst.object+json; charset=utf-8";
    case MediaType::kCsv:
      return "text/csv; charset=utf-8";
    case MediaType::kArrayStripNulls:
      return "application/vnd.pgrst.array+json; nulls=stripped; charset=utf-8";
    default:
      return "application/json; charset=utf-8";
  }
}

void RequireSingle(MediaType media, int64_t rows) {
  if (media == MediaType::kSingleObject && rows != 1) throw Error::SingularityViolation(rows);
}

namespace {

// The body of `rows` as the media type asks: a JSON array, one object (single), or CSV.
// `for_each_row` calls its argument with each row in turn (a storage::Row while a statement
// steps, or a storage::CopiedRow).
template <class ForEachRow>
int64_t RenderBody(const std::vector<RenderColumn>& columns, MediaType media, std::string& body,
                   ForEachRow&& for_each_row) {
  int64_t rows = 0;
  if (media == MediaType::kCsv) {
    AppendCsvHeader(body, columns);
    for_each_row([&](const auto& row) {
      AppendCsvRow(body, row, columns);
      ++rows;
    });
    return rows;
  }
  const bool single = media == MediaType::kSingleObject;
  const bool strip_nulls = media == MediaType::kArrayStripNulls;
  const std::vector<std::string> member_names = MemberNames(columns);
  if (!single) body += '[';
  for_each_row([&](const auto& row) {
    if (rows++ > 0) body += ',';
    AppendRowObject(body, row, columns, member_names, strip_nulls);
  });
  if (!single) body += ']';
  return rows;
}

}  // namespace

int64_t RenderRows(storage::Connection& conn, const ReadPlan& plan, MediaType media,
                   std::string& body) {
  ReadQuery query = BuildRead(plan);
  storage::Executor ex(conn);
  // A body grown from empty doubles its way up, copying itself each time (a list of ten full
  // sessions, ~16 KB: ten copies, ~4 % of the list's instructions). Each worker thread starts
  // from the size of its previous body, bounded so one large answer does not make every later
  // small one reserve as much.
  constexpr size_t kMaxBodyHint = size_t{64} * 1024;
  thread_local size_t previous_body_size = 0;
  body.reserve(std::min(previous_body_size, kMaxBodyHint));
  const int64_t rows = RenderBody(query.columns, media, body, [&](const auto& render) {
    ex.Run(query.sql, [&](const storage::Row& row) { render(row); });
  });
  previous_body_size = body.size();
  return rows;
}

std::optional<Representation> PrepareRepresentation(const ActionInput& in) {
  if (in.prefs.return_pref != ReturnPreference::kRepresentation) return std::nullopt;
  auto plan = PlanSelectOnly(in.api, in.plan, in.table);
  plan->written_rows = true;  // bound by CopyRepresentation
  return Representation{BuildRead(*plan), {}};
}

void CopyRepresentation(storage::Connection& conn, Representation& rep,
                        const std::vector<int64_t>& rowids) {
  BindWrittenRows(rep.query, rowids);
  rep.rows = storage::CopyRows(conn, rep.query.sql);
}

void RenderRepresentation(const std::optional<Representation>& rep, MediaType media,
                          RestResponse& out) {
  if (!rep) return;
  RenderBody(rep->query.columns, media, out.body, [&](const auto& render) {
    for (size_t i = 0; i < rep->rows.size(); ++i) render(rep->rows[i]);
  });
  out.content_type = std::string(ContentTypeFor(media));
}

RestResponse ExecuteRead(const ActionInput& in, const ReadPlan& plan, storage::Connection& conn) {
  RestResponse out;
  out.content_type = std::string(ContentTypeFor(in.media));
  std::optional<int64_t> total;
  if (in.prefs.count != CountPreference::kNone) {
    auto count = storage::Executor(conn).Scalar(BuildCount(plan));
    total = count ? std::get<int64_t>(*count) : 0;
    if (plan.offset > 0 && plan.offset > *total) {
      throw Error::RangeNotSatisfiable(plan.offset, *total);
    }
  }
  int64_t rows = RenderRows(conn, plan, in.media, out.body);
  RequireSingle(in.media, rows);
  out.headers.emplace_back("Content-Range", ContentRange(plan.offset, rows, total));
  if (total && rows < *total && in.media != MediaType::kSingleObject) out.status = 206;
  return out;
}

RestResponse RunRead(const ActionInput& in) {
  auto plan = PlanRead(in.api, in.plan, in.table);
  // One snapshot: the count and the page see the same rows.
  return in.db.Read(in.plan.who, in.clock, [&](storage::ReadScope& scope) {
    return ExecuteRead(in, *plan, scope.conn());
  });
}

}  // namespace ib::rest
