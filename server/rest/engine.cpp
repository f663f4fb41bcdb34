#include "server/rest/engine.h"

#include "server/rest/actions.h"
#include "server/rest/query_params.h"
#include "storage/error.h"

namespace ib::rest {

using storage::Error;

RestEngine::RestEngine(storage::Db& db, std::shared_ptr<const storage::Catalog> catalog,
                       EngineOptions options)
    : db_(db), catalog_(std::move(catalog)), options_(options) {}

RestResponse RestEngine::Handle(const RestRequest& request, const storage::Principal& who,
                                const storage::RequestClock& clock) {
  // Only the public schema is exposed (PostgREST db-schemas = public).
  if (request.profile && !request.profile->empty() && *request.profile != "public") {
    throw Error::InvalidSchema(*request.profile);
  }
  return HandleTable(request, who, clock);
}

namespace {

// `Range: 0-9` (older clients) stands for offset/limit when the query string sets none.
void ApplyRangeHeader(const RestRequest& request, ApiRequest& api) {
  if (!request.range) return;
  auto range = ParseRangeHeader(*request.range);
  if (!range) return;
  if (!api.offset.count({})) api.offset[{}] = range->offset;
  if (range->limit && !api.limit.count({})) api.limit[{}] = *range->limit;
}

RestResponse WithPreferenceApplied(RestResponse out, const Preferences& prefs) {
  if (!prefs.applied.empty()) {
    std::string applied;
    for (const auto& token : prefs.applied) applied += (applied.empty() ? "" : ", ") + token;
    out.headers.emplace_back("Preference-Applied", applied);
  }
  return out;
}

void RefuseStrictPreferences(const Preferences& prefs) {
  if (prefs.handling_strict && !prefs.invalid.empty()) {
    throw Error::StrictPreferences(prefs.invalid.front());
  }
}

}  // namespace

RestResponse RestEngine::HandleTable(const RestRequest& request, const storage::Principal& who,
                                     const storage::RequestClock& clock) {
  Preferences prefs = ParsePrefer(request.prefer);
  RefuseStrictPreferences(prefs);
  MediaType media = ParseAccept(request.accept);
  PlanContext plan{*catalog_, who, options_.max_rows, clock.now_micros};
  if (request.rpc) {
    return WithPreferenceApplied(RunRpc(request, prefs, media, plan, clock, db_), prefs);
  }

  const storage::Table& table = ResolveTable(*catalog_, request.resource);
  ApiRequest api = ParseQueryParams(request.params);
  ApplyRangeHeader(request, api);
  ActionInput in{request, api, prefs, media, table, plan, clock, db_};

  RestResponse out;
  if (request.method == "GET" || request.method == "HEAD") {
    out = RunRead(in);
  } else if (request.method == "POST") {
    out = RunInsert(in);
  } else if (request.method == "PATCH") {
    out = RunUpdate(in);
  } else if (request.method == "DELETE") {
    out = RunDelete(in);
  } else {
    throw Error::UnsupportedMethod(request.method);
  }
  return WithPreferenceApplied(std::move(out), prefs);
}

}  // namespace ib::rest
