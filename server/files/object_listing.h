// list() of /storage/v1 (POST /object/list/{bucket}): parses the request body into a
// storage/objects ListQuery, runs it in one read unit of work (the listing is filtered by the
// guard table, collapsed, sorted and paged in SQL there) and renders the file and folder
// entries. No HTTP, no SQL; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage/db.h"
#include "storage/objects/listing.h"
#include "storage/principal.h"
#include "storage/request_clock.h"

namespace ib::files {

// {"prefix","limit","offset","sortBy":{"column","order"},"search"}; the prefix becomes a
// folder ("" or ending in '/'). Throws InvalidRequest.
storage::objects::ListQuery ParseListOptions(const nlohmann::json& body);

// The JSON array answered for `entries`: files with their id, dates and metadata; folders
// with every field but the name null.
nlohmann::json ListingJson(const std::vector<storage::objects::ListedEntry>& entries);

// NoSuchBucket when the bucket is missing or hidden from `who`.
nlohmann::json ListObjects(storage::Db& db, const storage::Principal& who,
                           const storage::RequestClock& clock, const std::string& bucket_id,
                           const storage::objects::ListQuery& query);

}  // namespace ib::files
