// The per-verb stages of the REST engine (internal to server/rest). Each action plans,
// builds SQL, runs it in one transaction and renders; it answers or throws storage::Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/rest/api_request.h"
#include "server/rest/planner.h"
#include "server/rest/preferences.h"
#include "server/rest/rest_request.h"
#include "server/rest/sql_builder.h"
#include "storage/copied_rows.h"
#include "storage/db.h"
#include "storage/guards/policy.h"
#include "storage/request_clock.h"

namespace ib::rest {

struct ActionInput {
  const RestRequest& request;
  const ApiRequest& api;
  const Preferences& prefs;
  MediaType media;
  const storage::Table& table;
  const PlanContext& plan;
  const storage::RequestClock& clock;
  storage::Db& db;  // run only through db.Write / db.Read (storage/unit_of_work.h)
};

RestResponse RunRead(const ActionInput& in);  // GET / HEAD
// Runs an already-planned read on `conn` (inside the caller's transaction, if any).
RestResponse ExecuteRead(const ActionInput& in, const ReadPlan& plan, storage::Connection& conn);
// /rest/v1/rpc/<fn> (rpc_action.cpp).
RestResponse RunRpc(const RestRequest& request, const Preferences& prefs, MediaType media,
                    const PlanContext& plan, const storage::RequestClock& clock, storage::Db& db);
RestResponse RunInsert(const ActionInput& in);  // POST (insert and upsert)
RestResponse RunUpdate(const ActionInput& in);  // PATCH
RestResponse RunDelete(const ActionInput& in);  // DELETE

// Shared by the actions: rows of `plan` rendered per the media type. Returns the number of
// rows rendered; `body` gets an array, an object (single), or CSV.
int64_t RenderRows(storage::Connection& conn, const ReadPlan& plan, MediaType media,
                   std::string& body);

// A write's own rows as its answer (Prefer: return=representation), in three steps so that
// only the middle one runs on the writer: planned and built before the write
// (PrepareRepresentation: nullopt when not asked for), the rows copied inside it once their
// rowids are known (CopyRepresentation), rendered after the write has committed
// (RenderRepresentation: the body and its Content-Type; nothing when `rep` is empty).
struct Representation {
  ReadQuery query;
  storage::CopiedRows rows;
};
std::optional<Representation> PrepareRepresentation(const ActionInput& in);
void CopyRepresentation(storage::Connection& conn, Representation& rep,
                        const std::vector<int64_t>& rowids);
void RenderRepresentation(const std::optional<Representation>& rep, MediaType media,
                          RestResponse& out);

// 406 PGRST116 unless exactly one row was produced under Accept: vnd.pgrst.object+json.
void RequireSingle(MediaType media, int64_t rows);

std::string_view ContentTypeFor(MediaType media);

// The answer to a PATCH or DELETE of `rowids` (update_action.cpp), on the writer: 204, or 200
// with their representation copied into `rep` (rendered after the write); 406 under single()
// unless one row; PGRST124 past max-affected. Throwing here rolls the caller's write back.
RestResponse AnswerWrite(storage::Connection& conn, const ActionInput& in,
                         const std::vector<int64_t>& rowids, std::optional<Representation>& rep);

// The rows a PATCH or DELETE targets (write_targets.cpp), found in two steps so that a
// caller's filter never runs over the whole table while the writer lock is held (it would
// stall every other write of the server meanwhile):
// 1. FindTargets runs the filters, the command's guard, order and limit in a read snapshot,
//    outside the writer, and keeps each row's rowid and primary key.
// 2. RecheckTargets, under the writer, keeps the found rows that still exist with the same
//    key and still pass the guard and the filters, as Postgres under READ COMMITTED re-checks
//    the newest version of each row it found. A row changed meanwhile so that it no longer
//    matches is left alone; a row that started matching after the snapshot is not touched.
// Except when the filters pin one row by a key (PinnedByKey): finding it is then one index
// lookup, no costlier than the re-check, so RecheckTargets finds it under the writer and
// FindTargets reads nothing. That saves the snapshot's read transaction (its BEGIN, the pages
// a reader fetches again after every commit, its COMMIT), the commonest write's largest step
// outside the writer: supabase-js's `.update(...).eq('id', id)` and `.delete().eq('id', id)`.
// As if the request had come a moment later: READ COMMITTED allows either.
// The query the writer runs is built here, before the write is submitted, so the writer only
// runs it.
struct FoundTargets {
  size_t count = 0;                // rows found in the snapshot (unused when by_writer)
  bool by_writer = false;          // pinned by a key: nothing was read, the writer finds the row
  storage::SqlQuery writer_query;  // the pinned lookup, the re-check of the rows found, or
                                   // none (empty text) when the snapshot found nothing
};
// True when the plan's filters hold, at the top level of their AND, `column = value` on a
// column that alone is a primary or unique key of a table read as itself (no computed
// columns), with no order or paging: at most one row, found through that key's index.
bool PinnedByKey(const ReadPlan& plan);
FoundTargets FindTargets(const ActionInput& in, storage::guards::Command command);
std::vector<int64_t> RecheckTargets(storage::Connection& conn, const FoundTargets& found);

}  // namespace ib::rest
