// /admin/v1: operator endpoints outside the Supabase protocol. POST /admin/v1/reset empties
// all data (keeping schema and secret) for test harnesses; POST /admin/v1/backup streams a
// consistent copy of the database file (application/octet-stream; one at a time, 409 for a
// second); GET /admin/v1/info tells the dashboard what no other API does: the version, schema
// version, start time and uptime, the anon key clients are given, the database file's
// and WAL's sizes and the stored objects' count and bytes. Service_role only, refusals in
// PostgREST's error shape (401 anon / 403 other roles, code 42501). Thin: the work is in
// storage/reset and storage/backup.
#pragma once

#include <httplib.h>

#include "server/http/server_context.h"

namespace ib::http {

void RegisterAdminRoutes(httplib::Server& server, const ServerContext& ctx);

}  // namespace ib::http
