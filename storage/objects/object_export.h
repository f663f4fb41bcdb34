// Storage export: every bucket and object of the database as plain files a Storage API client
// can upload again (`interviewbase push-storage`, server/http/storage_push.h). It writes
// OUT_DIR/storage/<bucket>/<key> (the bytes) and OUT_DIR/storage/manifest.json (buckets; per
// object bucket, key, file path, content type, cache control, size, sha256, owner, metadata,
// timestamps). Only keys made of normal segments are written (no "", "." or ".."): nothing can
// land outside OUT_DIR/storage. The directory appears whole: built beside it, then renamed in.
// Reads on the caller's connection (one snapshot: run it inside one read transaction).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ib::storage {
class Connection;
}

namespace ib::storage::objects {

struct ObjectExportReport {
  int buckets = 0;
  int objects = 0;
  int64_t bytes = 0;
};

// Writes out_dir/storage (replacing an earlier one) from `conn`'s buckets and objects.
// Throws Error::Internal naming the object and the cause when a key or bucket cannot be a path
// (a "." or ".." segment; an object whose key is another's folder) or a file cannot be written;
// out_dir/storage is then left as it was.
ObjectExportReport ExportObjects(Connection& conn, const std::string& out_dir);

// Whether `key` is a relative path of normal segments: non-empty, no empty, "." or ".."
// segment, no NUL or backslash. Bucket ids must be one such segment.
bool IsExportableKey(std::string_view key);

}  // namespace ib::storage::objects
