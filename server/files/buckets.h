// Buckets of /storage/v1: the bucket JSON, name, size-limit and mime-type validation, and the
// bucket operations, each one unit of work over storage/objects/bucket_store (which applies
// the guard table: only the service manages buckets; users see the buckets the guards show
// them). No HTTP and no SQL here; throws storage::Error. Thread-safe as Db is.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/db.h"
#include "storage/objects/bucket_store.h"
#include "storage/principal.h"
#include "storage/request_clock.h"

namespace ib::files {

using storage::objects::BucketRow;

// {"id","name","owner","public","type":"STANDARD","file_size_limit","allowed_mime_types",...}
nlohmann::json BucketJson(const BucketRow& bucket);

// A create or update body.
struct BucketSpec {
  std::string id;
  std::string name;
  storage::objects::BucketValues values;
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
int64_t EffectiveSizeLimit(const BucketRow& bucket, int64_t global_limit);
// "image/png" against ["image/*", "audio/webm"]; parameters (";charset=...") are ignored.
bool MimeTypeAllowed(const std::optional<std::vector<std::string>>& allowed,
                     std::string_view mimetype);

// --- one unit of work each ---
std::vector<BucketRow> ListBuckets(storage::Db& db, const storage::Principal& who,
                                   const storage::RequestClock& clock,
                                   const storage::objects::BucketListQuery& query);
// NoSuchBucket when missing or hidden from `who`.
BucketRow GetBucket(storage::Db& db, const storage::Principal& who,
                    const storage::RequestClock& clock, std::string_view id);
void CreateBucket(storage::Db& db, const storage::Principal& who,
                  const storage::RequestClock& clock, const BucketSpec& spec, int64_t global_limit);
void UpdateBucket(storage::Db& db, const storage::Principal& who,
                  const storage::RequestClock& clock, const BucketSpec& spec, int64_t global_limit);
// Deletes every object of the bucket in one unit of work, then purges their bytes.
void EmptyBucket(storage::Db& db, const storage::Principal& who, const storage::RequestClock& clock,
                 std::string_view id);
// Deletes an empty bucket; ResourceNotEmpty while it holds objects.
void DeleteBucket(storage::Db& db, const storage::Principal& who,
                  const storage::RequestClock& clock, std::string_view id);

}  // namespace ib::files
