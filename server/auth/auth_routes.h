// /auth/v1: GoTrue's wire protocol (docs/wire.md) over Sessions and AdminUsers. Handlers
// only read the request, check the apikey and bearer (auth_guard.h), call one operation and
// write JSON; errors render through Wrap(Service::kAuth). The services live as long as the
// server (shared by the handlers); every handler is thread-safe.
#pragma once

#include <httplib.h>

#include "server/http/server_context.h"

namespace ib::auth {

void RegisterAuthRoutes(httplib::Server& server, const http::ServerContext& ctx);

}  // namespace ib::auth
