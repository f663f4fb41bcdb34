// CORS for browser apps (docs/wire.md): answers OPTIONS preflights on every path, and
// AddCorsHeaders() allows any origin and exposes the response headers supabase-js reads
// (Content-Range above all); the FramedServer applies it to every response.
#pragma once

#include <httplib.h>

namespace ib::http {

void RegisterCors(httplib::Server& server);
void AddCorsHeaders(httplib::Response& res);

}  // namespace ib::http
