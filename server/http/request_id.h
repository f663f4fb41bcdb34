// Request ids (X-Request-Id). A client's id is kept when it is 1 to 128 characters of letters,
// digits and - _ . : / + = (nothing that could break a header, a log line or a JSON string);
// anything else, or none, gets a fresh random id in UUID form. Every response echoes the id,
// and the access log carries it. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ib::http {

inline constexpr size_t kMaxRequestIdLength = 128;

// Whether `id` may be used as it is.
bool AcceptableRequestId(std::string_view id);

// A new random id, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" (UUID version 4).
std::string NewRequestId();

// The client's id when acceptable, else a new one.
std::string RequestIdFor(std::string_view client_id);

}  // namespace ib::http
