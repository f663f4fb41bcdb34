// Fallback responses: any 4xx/5xx that reached the client with an empty body (no route
// matched, httplib refused a request for its size) gets a JSON error body, so every error
// is machine-readable and has a code.
#pragma once

#include <httplib.h>

namespace ib::http {

void RegisterFallback(httplib::Server& server);

}  // namespace ib::http
