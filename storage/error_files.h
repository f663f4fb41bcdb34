// Supabase Storage's /storage/v1 error codes as Error factories, worded as supabase/storage's
// ERRORS table words them. Each carries the LOGICAL status; server/http's Wrap(kStorage)
// renders {statusCode, code, error, message} and answers HTTP 400 for every logical 4xx, as
// Supabase Storage does. Pure values; thread-safe.
#pragma once

#include <string_view>

#include "storage/error.h"

namespace ib::storage {

struct Error::Files {
  static Error NoSuchKey();                                 // 404 Object not found
  static Error NoSuchBucket();                              // 404 Bucket not found
  static Error BucketAlreadyExists();                       // 409
  static Error KeyAlreadyExists();                          // 409
  static Error ResourceNotEmpty();                          // 409 bucket not empty on delete
  static Error AccessDenied(std::string_view message);      // 403, e.g. "jwt expired"
  static Error RowLevelSecurity();                          // 403 write denied by policy
  static Error EntityTooLarge();                            // 413
  static Error InvalidMimeType(std::string_view type);      // 415
  static Error InvalidRequest(std::string_view message);    // 400
  static Error MissingParameter(std::string_view message);  // 400
  static Error InvalidBucketName(std::string_view name);    // 400
  static Error InvalidKey(std::string_view key);            // 400
  static Error InvalidJwt(std::string_view message);        // 400 signed-URL token refused
  static Error InvalidSignature();                          // 400 token for another object
  static Error InvalidRange();                              // 416 (sent as HTTP 416)
};

}  // namespace ib::storage
