// Oracle: the properties every answer must have, whatever was asked: a response at all, no
// 5xx, and none of the request's forbidden strings (another user's canary, the JWT secret)
// in the head or body. Also Minimise(): shrinks a request that broke a property to the
// fewest parameters, headers and body bytes that still break it.
#pragma once

#include <functional>
#include <string>

#include "tests/livefuzz/generator.h"
#include "tests/livefuzz/http_conn.h"

namespace ib::livefuzz {

enum class Verdict { kOk, kServerError, kNoResponse, kLeak };
const char* VerdictName(Verdict v);

// `detail` receives which forbidden string leaked, or the transport error.
Verdict Judge(const Fuzzed& f, const Response& r, std::string* detail);

// Greedily drops query parameters and headers and shortens the body while `still_fails`
// holds; returns the smallest request found.
Request Minimise(Request r, const std::function<bool(const Request&)>& still_fails);

}  // namespace ib::livefuzz
