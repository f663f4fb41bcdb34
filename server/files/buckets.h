// Buckets of /storage/v1 (wire-protocol §4.2): the bucket row and its JSON, name and size-limit
// validation, and the bucket operations, each checked against object_policies. Storage access
// only (no HTTP): every function takes the Db and the Principal and throws files::errors.
// Writes take Db::WriteLease and one Transaction each; thread-safe as Db is.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/files/object_policies.h"
#include "storage/db.h"
#include "storage/principal.h"

namespace ib::files {

struct Bucket {
  std::string id;
  std::string name;
  std::string owner;  // "" when created by a key without `sub`
  bool is_public = false;
  std::optional<int64_t> file_size_limit;
  std::optional<std::vector<std::string>> allowed_mime_types;
  std::string created_at;
  std::string updated_at;

  BucketFacts facts() const { return BucketFacts{id, is_public}; }
  nlohmann::json ToJson() const;  // {"id","name","owner","public","type":"STANDARD",...}
};

// A create or update body. Outer optional unset = not given; inner nullopt = set to NULL.
struct BucketSpec {
  std::string id;
  std::string name;
  std::optional<bool> is_public;
  std::optional<std::optional<int64_t>> file_size_limit;
  std::optional<std::optional<std::vector<std::string>>> allowed_mime_types;
};

struct BucketListOptions {
  std::optional<int64_t> limit;
  int64_t offset = 0;
  std::string search;             // substring of the name, case-insensitive
  std::string sort_column = "name";  // id | name | created_at | updated_at
  bool descending = false;
};

// --- pure ---
// Supabase's rule: 1-100 characters of letters, digits and !-.*'()& $@=;:+,? with no
// leading or trailing space (so no '/', no control or non-ASCII characters).
bool IsValidBucketName(std::string_view name);
// "1048576", "1MB", "1.5 mb", "100KB", "1GB", "10B" -> bytes (decimal units, as Supabase's
// parseFileSizeToBytes); nullopt when unparsable or out of range.
std::optional<int64_t> ParseByteSize(std::string_view text);
// A JSON number or unit string -> bytes; null -> nullopt-in-optional. Throws InvalidRequest.
std::optional<int64_t> ParseSizeLimitJson(const nlohmann::json& value);
// Parses a POST /bucket (create) or PUT /bucket/{id} body. Throws InvalidRequest /
// InvalidBucketName / InvalidMimeType.
BucketSpec ParseBucketSpec(const nlohmann::json& body, std::string_view path_id, bool create);
// The size cap for an upload into `bucket`: the global limit, lowered by the bucket's own.
int64_t EffectiveSizeLimit(const Bucket& bucket, int64_t global_limit);
// "image/png" against ["image/*", "audio/webm"]; parameters (";charset=...") are ignored.
bool MimeTypeAllowed(const std::optional<std::vector<std::string>>& allowed,
                     std::string_view mimetype);

// --- database ---
std::optional<Bucket> LoadBucket(storage::Connection& conn, std::string_view id);
// The bucket if it exists and `who` may see it; otherwise throws NoSuchBucket.
Bucket LoadVisibleBucket(storage::Connection& conn, const storage::Principal& who,
                         std::string_view id);

std::vector<Bucket> ListBuckets(storage::Db& db, const storage::Principal& who,
                                const BucketListOptions& options);
Bucket GetBucket(storage::Db& db, const storage::Principal& who, std::string_view id);
void CreateBucket(storage::Db& db, const storage::Principal& who, const BucketSpec& spec,
                  int64_t global_limit);
void UpdateBucket(storage::Db& db, const storage::Principal& who, const BucketSpec& spec,
                  int64_t global_limit);
// Deletes every object of the bucket (and their bytes) in one transaction.
void EmptyBucket(storage::Db& db, const storage::Principal& who, std::string_view id);
// Deletes an empty bucket; ResourceNotEmpty while it holds objects.
void DeleteBucket(storage::Db& db, const storage::Principal& who, std::string_view id);

}  // namespace ib::files
