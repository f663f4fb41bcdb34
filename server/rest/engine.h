// RestEngine: the PostgREST pipeline for one request, as a straight line of stages:
// parse (query_params, preferences) -> plan (planner, guards) -> SQL (sql_builder) ->
// execute in one unit of work (db.Write / db.Read) -> render (renderer). Thread-safe: one engine
// serves every worker thread; per-request state lives on the stack.
#pragma once

#include <memory>

#include "server/rest/rest_request.h"
#include "storage/catalog.h"
#include "storage/db.h"
#include "storage/principal.h"
#include "storage/request_clock.h"

namespace ib::rest {

struct EngineOptions {
  int64_t max_rows = 1000;  // PostgREST db-max-rows (Supabase's default); 0 = unlimited
};

class RestEngine {
 public:
  RestEngine(storage::Db& db, std::shared_ptr<const storage::Catalog> catalog,
             EngineOptions options);

  // Answers the request or throws storage::Error. `clock` is the request's one instant
  // (read where the request entered); the engine never reads the system clock.
  RestResponse Handle(const RestRequest& request, const storage::Principal& who,
                      const storage::RequestClock& clock);

 private:
  RestResponse HandleTable(const RestRequest& request, const storage::Principal& who,
                           const storage::RequestClock& clock);

  storage::Db& db_;
  std::shared_ptr<const storage::Catalog> catalog_;
  EngineOptions options_;
};

}  // namespace ib::rest
