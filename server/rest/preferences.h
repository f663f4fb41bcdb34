// Request headers specific to REST (docs/wire.md, "Headers"): Prefer -> Preferences, Accept -> the
// response media type, Range -> offset/limit for older clients. Pure string work, no state,
// thread-safe. Only ParseAccept throws (406 PGRST107); Prefer is lenient and Range optional.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/rest/api_request.h"

namespace ib::rest {

// Every `Prefer` header value (repeats allowed), each split on `,`. The first token of each kind
// wins; recognised tokens go to `applied`, unknown ones to `invalid`; `params=single-object` is
// recognised and ignored. The caller decides which applied tokens to echo per verb.
Preferences ParsePrefer(const std::vector<std::string>& prefer_header_values);

enum class MediaType { kJson, kSingleObject, kCsv, kOpenApi, kArrayStripNulls };

// The first supported entry of a comma-separated Accept list (q-values are not weighed).
// Absent/empty, `*/*`, `application/*`, `application/json` -> kJson; throws
// storage::Error::NotAcceptable (406 PGRST107) when no entry is supported.
MediaType ParseAccept(std::string_view accept);

struct RangeHeader {
  int64_t offset = 0;
  std::optional<int64_t> limit;  // unset for an open range `10-`
};

// `Range: 0-9` -> {0, 10}; `10-` -> {10, unset}. Anything else (including `5-2`) -> nullopt.
std::optional<RangeHeader> ParseRangeHeader(std::string_view range);

}  // namespace ib::rest
