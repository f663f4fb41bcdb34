// One folder level of a bucket, as Supabase Storage's list() answers it, computed in SQL from
// the rows the caller may read: objects directly under the folder are files, deeper paths
// collapse into one folder entry each, names are relative to the folder, `search` keeps names
// starting with it (ASCII case-insensitive), then the entries are sorted and paged. A folder
// entry exists only because a readable row lies under it, so a listing never names what the
// caller cannot read; request text is only ever a bound value (no LIKE, no wildcards).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/objects/object_store.h"
#include "storage/principal.h"

namespace ib::storage {
class Connection;
}  // namespace ib::storage

namespace ib::storage::objects {

enum class ListSort { kName, kCreatedAt, kUpdatedAt, kLastAccessedAt };

struct ListQuery {
  std::string folder;  // "" (the bucket's top) or ending in '/'
  std::string search;  // "" = every entry
  ListSort sort = ListSort::kName;
  bool descending = false;
  int64_t limit = 100;
  int64_t offset = 0;
};

struct ListedEntry {
  std::string name;                                                    // relative to the folder
  std::optional<ObjectRow> object;                                     // nullopt for a folder
  std::string ToString() const { return object ? name : name + "/"; }  // "sub/" for folders
};

// By name: byte order, folders and files interleaved (a folder before a file of the same
// name). By a date: folders first, by name; then files by the date, ties by name.
std::vector<ListedEntry> ListFolder(Connection& conn, const Principal& who,
                                    const std::string& bucket_id, const ListQuery& query);

}  // namespace ib::storage::objects
