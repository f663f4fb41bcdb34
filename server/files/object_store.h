// Object bytes in the database: kChunkSize chunks in storage_object_chunks under one
// storage_contents row. ObjectWriter streams an upload in, one short write transaction per
// chunk (the writer lock is never held while waiting on a slow client); the content stays
// invisible until AttachContent runs in the publishing transaction. Reads take one chunk per
// call. ObjectWriter: one thread. Functions taking a Connection run in the caller's write
// transaction; the others take their own leases.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/db.h"

namespace ib::files {

inline constexpr size_t kChunkSize = 256 * 1024;

struct StagedContent {
  int64_t content_id = 0;
  int64_t size = 0;
  std::string etag;  // "\"<md5 hex>\""
};

class ObjectWriter {
 public:
  // Refuses (too_large) any byte beyond `max_size`.
  ObjectWriter(storage::Db& db, int64_t max_size);
  // Deletes the staged chunks unless Keep() was called after a successful publish.
  ~ObjectWriter();
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  // Adds bytes. Past max_size the writer turns too_large: staged bytes are deleted at once and
  // further bytes are counted but dropped (the caller keeps draining the request body).
  // Throws storage::Error (500) when SQLite fails.
  void Append(const char* data, size_t length);
  bool too_large() const { return too_large_; }
  int64_t size() const { return size_; }

  // Writes the last partial chunk and returns the staged content (created even when empty).
  StagedContent Finish();
  // The content was attached to an object in a committed transaction: keep it.
  void Keep() { kept_ = true; }

 private:
  struct Digest;
  void EnsureContent();
  void FlushChunk();
  void Discard() noexcept;

  storage::Db& db_;
  int64_t max_size_;
  int64_t size_ = 0;
  int64_t content_id_ = 0;
  int64_t next_index_ = 0;
  bool too_large_ = false;
  bool kept_ = false;
  std::string buffer_;
  std::unique_ptr<Digest> digest_;
};

// Up to `max_length` bytes of content `content_id` from `offset`, never crossing a chunk
// boundary (so at most kChunkSize). Empty when the content is gone (overwritten or deleted
// since the download began) or `offset` is past its end.
std::string ReadContentSlice(storage::Db& db, int64_t content_id, int64_t offset,
                             size_t max_length);

// Inside the caller's write transaction on the writer connection:
// Duplicates a content's chunks (copy); returns the new, unattached content id.
int64_t CopyContent(storage::Connection& conn, int64_t content_id);
// Attaches a staged content to its object. Returns the object's previous contents, now
// detached: the caller purges them (PurgeContents) after committing and releasing the lease.
std::vector<int64_t> AttachContent(storage::Connection& conn, int64_t content_id,
                                   const std::string& object_id);
// Detaches the contents of one object / of every object of a bucket before their rows are
// deleted, so the bytes are purged in small steps afterwards instead of inside the caller's
// transaction (where a 50 MB cascade would hold the writer lock and fill the page cache).
std::vector<int64_t> DetachObjectContent(storage::Connection& conn, const std::string& object_id);
std::vector<int64_t> DetachBucketContents(storage::Connection& conn, std::string_view bucket_id);

// Deletes detached contents a few chunks per short write transaction. Takes the writer lease
// itself: call with no lease held. Never throws; what it cannot delete is left for
// RemoveAbandonedUploads.
void PurgeContents(storage::Db& db, const std::vector<int64_t>& content_ids) noexcept;

// Deletes contents attached to no object: uploads or purges a crash cut short. Call at start,
// before serving (no upload can be in flight then).
void RemoveAbandonedUploads(storage::Db& db);

}  // namespace ib::files
