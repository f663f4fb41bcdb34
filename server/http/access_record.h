// AccessRecord: what the connection layer learns about one request while serving it, for the
// access log line and the request metrics. FramedServer opens one per request head (and per
// refusal) and makes it this thread's current record while the request runs; the routes'
// Wrap() adds the route pattern and the principal, the post-routing step the status. Only the
// route pattern (never the raw path) and no query value leave through it.
#pragma once

#include <chrono>
#include <cstdint>
#include <regex>
#include <string>
#include <string_view>

namespace ib::http {

struct AccessRecord {
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::string request_id;
  std::string method = "-";     // as sent (the head parser admits token characters only)
  std::string_view service;     // ServiceOf(path)
  std::string route;            // RoutePattern(); empty when no route took the request
  std::string principal = "-";  // "anon", "service_role", "authenticated[:<user id>]"
  int status = 0;
  uint64_t bytes = 0;   // written to the client: head and body
  std::string refusal;  // why the connection layer refused the request, if it did
  // The cause of a 500 (never shown to the client). With `logged` it goes into the access line,
  // which then tells the request id it belongs to; without, Wrap() prints it on its own line.
  std::string error;
  bool logged = false;
};

// This thread's record while a request is served; nullptr otherwise.
AccessRecord* CurrentAccess();

// Makes `record` this thread's current one for its own lifetime.
class CurrentAccessScope {
 public:
  explicit CurrentAccessScope(AccessRecord& record);
  ~CurrentAccessScope();
  CurrentAccessScope(const CurrentAccessScope&) = delete;
  CurrentAccessScope& operator=(const CurrentAccessScope&) = delete;

 private:
  AccessRecord* previous_;
};

// The service a path belongs to, by its prefix: "rest", "auth", "storage", "realtime",
// "admin", "metrics", "health", or "other". A fixed set: it is a metrics label.
std::string_view ServiceOf(std::string_view path);

// The route pattern of a routed request: `path` with each outermost captured group of the
// route's regex (`matches`, as httplib matched them against `path`) replaced by "{}":
// /rest/v1/interviews -> /rest/v1/{}. Routes capture every variable part, so the set of
// patterns is bounded by the routes.
std::string RoutePattern(const std::string& path, const std::smatch& matches);

// "GET", "POST", ... as they are; any other method "other" (a bounded metrics label).
std::string_view MethodLabel(std::string_view method);

}  // namespace ib::http
