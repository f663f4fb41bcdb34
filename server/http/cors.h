// CORS for browser apps (docs/wire.md): answers OPTIONS preflights on every path and
// exposes the response headers supabase-js reads (Content-Range above all).
#pragma once

#include <httplib.h>

namespace ib::http {

void RegisterCors(httplib::Server& server);

}  // namespace ib::http
