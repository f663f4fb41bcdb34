// Registers /rest/v1 on the HTTP server: tables at /rest/v1/{table}, functions at
// /rest/v1/rpc/{fn}. Handlers only translate HTTP <-> RestRequest/RestResponse.
#pragma once

#include <httplib.h>

#include "server/http/server_context.h"
#include "server/rest/engine.h"

namespace ib::rest {

void RegisterRestRoutes(httplib::Server& server, RestEngine& engine,
                        const http::ServerContext& ctx);

}  // namespace ib::rest
