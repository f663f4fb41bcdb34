// Which body limit a request gets, decided from its parsed head alone (before a byte of the
// body is read): an object upload carries a whole object and gets the upload limit; every
// other request, Storage's JSON routes included (list, sign, move, copy, buckets, delete),
// reads its body into memory and gets the JSON body limit (docs/limits.md). Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace ib::http {

// True when `method` and `target` (the request line's, query included) name an object upload:
// the routes of server/files/upload_paths.h, matched on the path decoded as httplib decodes
// it for routing.
bool IsObjectUpload(std::string_view method, std::string_view target);

// max_upload_bytes for an object upload, else max_body_bytes.
uint64_t BodyLimitFor(std::string_view method, std::string_view target, uint64_t max_body_bytes,
                      uint64_t max_upload_bytes);

}  // namespace ib::http
