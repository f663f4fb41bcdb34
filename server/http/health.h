// GET /health: liveness plus the schema version, for load balancers and tests.
#pragma once

#include <httplib.h>

#include "server/http/server_context.h"

namespace ib::http {

void RegisterHealthRoute(httplib::Server& server, const ServerContext& ctx);

}  // namespace ib::http
