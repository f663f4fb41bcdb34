// Bucket rows (storage_buckets): reads filtered by the guard table (a bucket the caller may not
// see does not exist for them), the bucket list filtered, sorted and paged in SQL, and writes
// through RowWriter so hooks see them. Knows no HTTP and no wire shapes. Functions run on the
// connection of the caller's unit of work; stateless and thread-safe as that connection is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/guards/policy.h"
#include "storage/principal.h"

namespace ib::storage {
class Catalog;
class Connection;
class RowWriter;
}  // namespace ib::storage

namespace ib::storage::objects {

struct BucketRow {
  int64_t rowid = 0;
  std::string id;
  std::string name;
  std::string owner;  // "" when created by a key without `sub`
  bool is_public = false;
  std::optional<int64_t> file_size_limit;
  std::optional<std::vector<std::string>> allowed_mime_types;
  std::string created_at;
  std::string updated_at;
};

enum class BucketSort { kId, kName, kCreatedAt, kUpdatedAt };

struct BucketListQuery {
  std::optional<int64_t> limit;
  int64_t offset = 0;
  std::string search;  // substring of the name, ASCII case-insensitive; "" = all
  BucketSort sort = BucketSort::kName;
  bool descending = false;
};

// Any bucket, whoever asks (uploads and the service need to know it exists).
std::optional<BucketRow> FindBucket(Connection& conn, std::string_view id);
// The bucket if its select guard admits `who`.
std::optional<BucketRow> FindVisibleBucket(Connection& conn, const Principal& who,
                                           std::string_view id);
std::vector<BucketRow> ListVisibleBuckets(Connection& conn, const Principal& who,
                                          const BucketListQuery& query);
// True when a bucket already has this id or this name.
bool BucketIdOrNameTaken(Connection& conn, std::string_view id, std::string_view name);
bool BucketHasObjects(Connection& conn, std::string_view id);

// The columns a create or update sets. Outer optional unset = leave as is (update) or take
// the default (create); inner nullopt = NULL.
struct BucketValues {
  std::optional<bool> is_public;
  std::optional<std::optional<int64_t>> file_size_limit;
  std::optional<std::optional<std::vector<std::string>>> allowed_mime_types;
};

// Whether the guard table lets `who` run `command` (insert, update, delete) on bucket `id`.
// No policy row grants any of them, so only the service may manage buckets.
bool MayWriteBucket(Connection& conn, const Catalog& catalog, const Principal& who,
                    guards::Command command, std::string_view id);

void InsertBucket(RowWriter& writer, std::string_view id, std::string_view name,
                  const BucketValues& values);
void UpdateBucket(RowWriter& writer, const BucketRow& bucket, const BucketValues& values);
void DeleteBucket(RowWriter& writer, const BucketRow& bucket);

}  // namespace ib::storage::objects
