// /storage/v1: Supabase Storage's HTTP surface (docs/wire.md) on top of server/files.
// RegisterFileRoutes() registers every bucket and object route and, before serving, deletes
// uploads a crash left unfinished. Handlers are thin: authenticate, read path and body, call
// server/files, answer. Errors render in Storage's shape through http::Wrap(kStorage).
#pragma once

#include <httplib.h>

#include "server/http/server_context.h"

namespace ib::files {

void RegisterFileRoutes(httplib::Server& server, const http::ServerContext& ctx);

}  // namespace ib::files
