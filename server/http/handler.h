// Wrap(): the one place a request's errors are caught. It starts the request's clock, runs the
// handler, renders any storage::Error in the shape of the service that raised it (PostgREST
// {code,message,details,hint}, GoTrue {code,message}, Storage {statusCode,code,error,message}),
// turns anything unexpected into a 500 without leaking internals, and gives the request's
// AccessRecord its route pattern and principal (the connection layer logs and counts it).
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "storage/error.h"
#include "storage/request_clock.h"

namespace ib::http {

enum class Service { kRest, kAuth, kStorage, kPlain };

struct RequestContext {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  // The request's one instant, read here as the request enters: routes pass it to
  // db.Write/db.Read and to token checks instead of reading the clock again.
  storage::RequestClock clock = storage::RequestClock::Now();
  std::string principal = "-";  // role (and user id) for the access log, set by handlers
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&, RequestContext&)>;

httplib::Server::Handler Wrap(Service service, Handler handler);

// Renders `error` into `res` in the service's error shape.
void RenderError(Service service, const storage::Error& error, httplib::Response& res);

// Header helpers: the value of a header if present (httplib matches names case-insensitively).
std::optional<std::string> Header(const httplib::Request& req, const char* name);

// The raw query string of the request target, split into decoded (key, value) pairs in order,
// repeats kept, '+' as space (how supabase-js form-encodes queries; docs/wire.md).
std::vector<std::pair<std::string, std::string>> QueryPairs(const httplib::Request& req);

// Percent-decodes `text` (and '+' as space when `plus_as_space`).
std::string PercentDecode(std::string_view text, bool plus_as_space);

}  // namespace ib::http
