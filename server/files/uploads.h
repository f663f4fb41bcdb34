// Uploads (POST/PUT /object/{bucket}/{key}) in two steps around the streaming of the body:
// PrepareUpload checks everything knowable before the first byte (bucket, key, guard,
// duplicate, limits) so a refused upload reads nothing into the database; PublishUpload
// re-checks in its unit of work and makes the staged bytes the object in that ONE unit of
// work. The guard's check decides before a duplicate can answer, so a key the caller may not
// write is 403, never a 409 revealing that it exists. No HTTP, no SQL; thread-safe as Db is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"
#include "storage/objects/content_store.h"
#include "storage/principal.h"
#include "storage/request_clock.h"

namespace ib::files {

struct UploadTarget {
  std::string bucket_id;
  std::string key;
  bool upsert = false;  // x-upsert: true, or PUT
};

// What the request says about the object (headers or multipart fields).
struct UploadAttributes {
  std::string mimetype = "application/octet-stream";
  std::string cache_control = "no-cache";
  std::optional<std::string> user_metadata;  // JSON object text
};

struct UploadLimits {
  int64_t max_size = 0;
  std::optional<std::vector<std::string>> allowed_mime_types;
};

// Throws InvalidKey, NoSuchBucket, AccessDenied (guard), KeyAlreadyExists, in that order.
UploadLimits PrepareUpload(storage::Db& db, const storage::Principal& who,
                           const storage::RequestClock& clock, const UploadTarget& target,
                           int64_t global_limit);
// Throws InvalidMimeType when the bucket restricts types and `mimetype` is not among them.
void CheckMimeType(const UploadLimits& limits, const std::string& mimetype);

struct PublishedObject {
  std::string id;
  std::string key;  // "<bucket>/<key>", as the API answers it
};

// The upload's single unit of work: checks again, inserts or overwrites the object row (owner
// = the uploader when that auth user exists), attaches the content; then purges the previous
// bytes.
PublishedObject PublishUpload(storage::Db& db, const storage::Principal& who,
                              const storage::RequestClock& clock, const UploadTarget& target,
                              const UploadAttributes& attributes,
                              const storage::objects::StagedContent& content, int64_t global_limit);

}  // namespace ib::files
