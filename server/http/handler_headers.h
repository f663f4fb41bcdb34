// The request headers httplib is not given to parse: a connection renders for httplib only the
// headers httplib itself reads (HeadersRendered::kHttplibOnly, request_head.h), and the others
// are added to its Request here, from the head already parsed, before routing.
#pragma once

#include <httplib.h>

#include "server/http/request_head.h"

namespace ib::http {

// Gives `req` the headers of `head` that its kHttplibOnly rendering left out, as httplib would
// have read them from the full rendering: an empty value is no header, and a value is
// URL-decoded (without '+' as space), as cpp-httplib 0.11 does to every header it reads. For
// httplib's `setup_request`, which runs after the rendered head is read and before routing.
void AddHandlerHeaders(const RequestHead& head, httplib::Request& req);

}  // namespace ib::http
