// Uploads (POST/PUT /object/{bucket}/{key}, wire-protocol §4.3) in two steps around the
// streaming of the body: PrepareUpload checks everything knowable before the first byte
// (bucket, key, policy, duplicate, limits) so a refused upload reads nothing into the database;
// PublishUpload re-checks under the writer lock and makes the staged bytes the object in ONE
// transaction. Storage access only (no HTTP); thread-safe as Db is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/files/object_store.h"
#include "storage/db.h"
#include "storage/principal.h"

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

// Throws InvalidKey, NoSuchBucket, AccessDenied (policy), KeyAlreadyExists.
UploadLimits PrepareUpload(storage::Db& db, const storage::Principal& who,
                           const UploadTarget& target, int64_t global_limit);
// Throws InvalidMimeType when the bucket restricts types and `mimetype` is not among them.
void CheckMimeType(const UploadLimits& limits, const std::string& mimetype);

struct PublishedObject {
  std::string id;
  std::string key;  // "<bucket>/<key>", as the API answers it
};

// The upload's single transaction: checks again, inserts or overwrites the object row (owner =
// the uploader when that auth user exists), attaches the content and drops the previous bytes.
PublishedObject PublishUpload(storage::Db& db, const storage::Principal& who,
                              const UploadTarget& target, const UploadAttributes& attributes,
                              const StagedContent& content, int64_t global_limit);

}  // namespace ib::files
