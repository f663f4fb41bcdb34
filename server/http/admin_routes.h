// /admin/v1: operator endpoints outside the Supabase protocol. POST /admin/v1/reset empties
// all data (keeping schema and secret) for test harnesses; service_role only, refusals in
// PostgREST's error shape (401 anon / 403 other roles, code 42501). Thin: the work is in
// storage/reset. Handlers share only the immutable ServerContext.
#pragma once

#include <httplib.h>

#include "server/http/server_context.h"

namespace ib::http {

void RegisterAdminRoutes(httplib::Server& server, const ServerContext& ctx);

}  // namespace ib::http
