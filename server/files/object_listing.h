// list() of /storage/v1 (POST /object/list/{bucket}, wire-protocol §4.5): one folder level,
// deeper paths collapsed into folder entries, names relative to the prefix, `search` as a
// case-insensitive name prefix, sorted then paged. CollapseListing is pure (unit-tested);
// ListObjects fetches the rows under the prefix that the caller may read. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "server/files/objects.h"
#include "storage/db.h"
#include "storage/principal.h"

namespace ib::files {

struct ListOptions {
  std::string prefix;                 // as sent; a folder ("" = bucket root)
  int64_t limit = 100;
  int64_t offset = 0;
  std::string sort_column = "name";   // name | created_at | updated_at | last_accessed_at
  bool descending = false;
  std::string search;

  // The prefix as a folder: "" or ending in '/'.
  std::string Folder() const;
};

// {"prefix","limit","offset","sortBy":{"column","order"},"search"}; throws InvalidRequest.
ListOptions ParseListOptions(const nlohmann::json& body);

// One entry of the answer: a folder (object == nullptr) or a file.
struct ListEntry {
  std::string name;                  // relative to the folder
  const ObjectRow* object = nullptr;
  std::string ToString() const;      // "name/" for folders, "name" for files
};

// `rows` are objects whose names start with options.Folder(); entries point into `rows`.
std::vector<ListEntry> CollapseListing(const std::vector<ObjectRow>& rows,
                                       const ListOptions& options);

// The JSON array answered for `entries` (file and folder shapes of §4.5).
nlohmann::json ListingJson(const std::vector<ListEntry>& entries);

// Fetches, filters by the select policy, collapses. NoSuchBucket when hidden or missing.
nlohmann::json ListObjects(storage::Db& db, const storage::Principal& who,
                           const std::string& bucket_id, const ListOptions& options);

}  // namespace ib::files
