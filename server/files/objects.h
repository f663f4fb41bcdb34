// Object rows of /storage/v1: their JSON shapes (list entry metadata, info, removed row), key
// validation, and the object operations that need no body streaming, one unit of work each
// over storage/objects: find for reading (hidden reads answer NoSuchBucket / NoSuchKey),
// remove, move and copy, with the guard table deciding before any constraint can answer.
// No HTTP and no SQL here. Thread-safe as Db is.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/files/buckets.h"
#include "storage/db.h"
#include "storage/objects/object_store.h"
#include "storage/principal.h"
#include "storage/request_clock.h"

namespace ib::files {

using storage::objects::ObjectRow;

// {"eTag","size","mimetype","cacheControl","lastModified","contentLength","httpStatusCode"}
nlohmann::json SystemMetadata(const ObjectRow& row);
// The row as remove() answers it: name, bucket_id, owner, id, timestamps, metadata.
nlohmann::json RemovedRowJson(const ObjectRow& row);
// GET /object/info: id, version, name, bucket_id, size, content_type, etag, timestamps, ...
nlohmann::json InfoJson(const ObjectRow& row);

// Keys written by uploads, moves and copies: 1-1024 bytes of valid UTF-8 without control
// characters, no leading or trailing '/', no empty segment ("a//b").
bool IsValidObjectKey(std::string_view key);
void ValidateObjectKey(std::string_view key);  // throws InvalidKey

// "Tue, 15 Nov 1994 08:12:31 GMT" for a canonical timestamptz ("1994-11-15T08:12:31...").
std::string HttpDate(std::string_view timestamptz);

struct ReadTarget {
  BucketRow bucket;
  ObjectRow object;
};
// For downloads, info and signing: the object if `who` may read it, else NoSuchBucket /
// NoSuchKey (never an access error, as Supabase hides what a policy hides).
ReadTarget FindReadableObject(storage::Db& db, const storage::Principal& who,
                              const storage::RequestClock& clock, std::string_view bucket_id,
                              std::string_view key);
// For /object/public: only objects of public buckets; a private bucket answers NoSuchBucket.
ReadTarget FindPublicObject(storage::Db& db, const storage::RequestClock& clock,
                            std::string_view bucket_id, std::string_view key);
// For signed URLs, whose verified token is the authority.
ReadTarget FindObjectBySignature(storage::Db& db, const storage::RequestClock& clock,
                                 std::string_view bucket_id, std::string_view key);

// Deletes the listed keys the caller may delete; others (missing or hidden) are skipped.
// Returns the deleted rows. At most kMaxRemoveKeys keys.
inline constexpr size_t kMaxRemoveKeys = 1000;
std::vector<ObjectRow> RemoveObjects(storage::Db& db, const storage::Principal& who,
                                     const storage::RequestClock& clock, std::string_view bucket_id,
                                     const std::vector<std::string>& keys);

struct MoveRequest {
  std::string bucket_id;
  std::string source_key;
  std::string destination_bucket;  // = bucket_id when not given
  std::string destination_key;
};
// Parses {"bucketId","sourceKey","destinationKey","destinationBucket"?}; throws InvalidRequest.
MoveRequest ParseMoveRequest(const nlohmann::json& body);
// The source must be readable and updatable, the destination admitted by the update guard's
// check; only then a taken destination answers KeyAlreadyExists.
void MoveObject(storage::Db& db, const storage::Principal& who, const storage::RequestClock& clock,
                const MoveRequest& request, int64_t global_limit);
// The source must be readable, the destination admitted by the insert guard's check (before
// KeyAlreadyExists). Returns the new object's id.
std::string CopyObject(storage::Db& db, const storage::Principal& who,
                       const storage::RequestClock& clock, const MoveRequest& request,
                       int64_t global_limit);

}  // namespace ib::files
