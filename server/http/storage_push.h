// `interviewbase push-storage DIR --url URL --service-key KEY`: uploads what an export wrote
// under DIR/storage (manifest.json and the files, storage/objects/object_export.h) through the
// Storage API of a Supabase project or another interviewbase: each bucket is created when
// missing, each object upserted with its content type, cache control and metadata. Every file
// is checked against the manifest (size, sha256) before anything is sent; a key refused by the
// server stops the push before any upload. An HTTP client; no database.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace ib::http {

struct PushReport {
  int buckets_created = 0;
  int objects = 0;
  int64_t bytes = 0;
};

// Pushes DIR's export (DIR/storage/manifest.json, or DIR/manifest.json when DIR is the
// storage folder itself) to `url` (scheme://host[:port][/prefix]). `progress` receives one
// line per object. Throws storage::Error::Internal with a message for the operator (what was
// refused, by whom, and how many objects were pushed before); a rerun is safe (upserts).
PushReport PushStorage(const std::string& dir, const std::string& url,
                       const std::string& service_key,
                       const std::function<void(const std::string&)>& progress);

}  // namespace ib::http
