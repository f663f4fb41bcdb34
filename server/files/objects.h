// Object rows of /storage/v1: the row, its JSON shapes (list entry metadata, info, removed row),
// key validation, and the object operations that need no request body streaming: find for
// reading (hidden reads answer NoSuchBucket / NoSuchKey), remove, move and copy. Storage access
// only (no HTTP); each write is one transaction under Db::WriteLease. Thread-safe as Db is.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/files/buckets.h"
#include "storage/db.h"
#include "storage/principal.h"

namespace ib::storage {
class Row;
}  // namespace ib::storage

namespace ib::files {

struct ObjectRow {
  std::string id;
  std::string bucket_id;
  std::string name;
  std::optional<std::string> owner;
  int64_t size = 0;
  std::string mimetype;
  std::string cache_control;
  std::string etag;
  std::optional<std::string> user_metadata;  // JSON text
  std::string created_at;
  std::string updated_at;
  std::string last_accessed_at;
  int64_t content_id = 0;  // 0 when the bytes are missing (never for a published object)
};

// "SELECT " + kObjectColumns + " FROM " + kObjectFrom + " WHERE ..." gives rows for
// ReadObjectRow (o = storage_objects, c = its attached content).
extern const char* const kObjectColumns;
extern const char* const kObjectFrom;
ObjectRow ReadObjectRow(const storage::Row& row);

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

std::optional<ObjectRow> LoadObject(storage::Connection& conn, std::string_view bucket_id,
                                    std::string_view key);

struct ReadTarget {
  Bucket bucket;
  ObjectRow object;
};
// For downloads, info and signing: the object if `who` may read it, else NoSuchBucket /
// NoSuchKey (never an access error, as Supabase hides what a policy hides).
ReadTarget FindReadableObject(storage::Db& db, const storage::Principal& who,
                              std::string_view bucket_id, std::string_view key);
// For /object/public: only objects of public buckets; a private bucket answers NoSuchBucket.
ReadTarget FindPublicObject(storage::Db& db, std::string_view bucket_id, std::string_view key);
// For signed URLs, whose verified token is the authority.
ReadTarget FindObjectBySignature(storage::Db& db, std::string_view bucket_id,
                                 std::string_view key);

// Deletes the listed keys the caller may delete; others (missing or hidden) are skipped.
// Returns the deleted rows. At most kMaxRemoveKeys keys.
inline constexpr size_t kMaxRemoveKeys = 1000;
std::vector<ObjectRow> RemoveObjects(storage::Db& db, const storage::Principal& who,
                                     std::string_view bucket_id,
                                     const std::vector<std::string>& keys);

struct MoveRequest {
  std::string bucket_id;
  std::string source_key;
  std::string destination_bucket;  // = bucket_id when not given
  std::string destination_key;
};
// Parses {"bucketId","sourceKey","destinationKey","destinationBucket"?}; throws InvalidRequest.
MoveRequest ParseMoveRequest(const nlohmann::json& body);
void MoveObject(storage::Db& db, const storage::Principal& who, const MoveRequest& request,
                int64_t global_limit);
// Returns the new object's id.
std::string CopyObject(storage::Db& db, const storage::Principal& who, const MoveRequest& request,
                       int64_t global_limit);

}  // namespace ib::files
