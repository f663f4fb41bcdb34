// The Storage API's errors (wire-protocol §4.8), one factory per code, so the code -> logical
// status table lives in file_errors.cpp alone. Each is a storage::Error carrying the LOGICAL
// status; server/http's Wrap(kStorage) renders {statusCode, code, error, message} and answers
// HTTP 400 for every logical 4xx, as Supabase Storage does. Pure values; thread-safe.
#pragma once

#include <string_view>

#include "storage/error.h"

namespace ib::files::errors {

storage::Error NoSuchKey();                                // 404 Object not found
storage::Error NoSuchBucket();                             // 404 Bucket not found
storage::Error BucketAlreadyExists();                      // 409
storage::Error KeyAlreadyExists();                         // 409
storage::Error ResourceNotEmpty();                         // 409 bucket not empty on delete
storage::Error AccessDenied(std::string_view message);     // 403, e.g. "jwt expired"
storage::Error RowLevelSecurity();                         // 403 write denied by policy
storage::Error EntityTooLarge();                           // 413
storage::Error InvalidMimeType(std::string_view type);     // 415
storage::Error InvalidRequest(std::string_view message);   // 400
storage::Error MissingParameter(std::string_view message); // 400
storage::Error InvalidBucketName(std::string_view name);   // 400
storage::Error InvalidKey(std::string_view key);           // 400
storage::Error InvalidJwt(std::string_view message);       // 400 signed-URL token refused
storage::Error InvalidSignature();                         // 400 token for another object
storage::Error InvalidRange();                             // 416 (sent as HTTP 416)

}  // namespace ib::files::errors
