// Object bytes in the database: kChunkSize chunks in storage_object_chunks under one
// storage_contents row. ContentWriter streams an upload in, one short unit of work per chunk
// (the writer lock is never held while waiting on a slow client), so memory stays at one chunk
// whatever the object's size; the content stays invisible until AttachContent runs in the
// publishing unit of work. Reads take one chunk per call. Detached contents are purged a few
// chunks per unit of work; what a crash leaves behind is purged at the next start.
// ContentWriter: one thread. Functions taking a Connection run in the caller's unit of work.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/principal.h"
#include "storage/request_clock.h"

namespace ib::storage {
class Connection;
class Db;
}  // namespace ib::storage

namespace ib::storage::objects {

inline constexpr size_t kChunkSize = size_t{256} * 1024;

struct StagedContent {
  int64_t content_id = 0;
  int64_t size = 0;
  std::string etag;  // "\"<md5 hex>\""
};

class ContentWriter {
 public:
  // Refuses (too_large) any byte beyond `max_size`. Each chunk is written as `who` at `clock`.
  ContentWriter(Db& db, const Principal& who, const RequestClock& clock, int64_t max_size);
  // Purges the staged chunks unless Keep() was called after a successful publish.
  ~ContentWriter();
  ContentWriter(const ContentWriter&) = delete;
  ContentWriter& operator=(const ContentWriter&) = delete;

  // Adds bytes. Past max_size the writer turns too_large: staged bytes are purged at once and
  // further bytes are counted but dropped (the caller keeps draining the request body).
  // Throws storage::Error (500) when SQLite fails.
  void Append(const char* data, size_t length);
  bool too_large() const { return too_large_; }
  int64_t size() const { return size_; }

  // Writes the last partial chunk and returns the staged content (created even when empty).
  StagedContent Finish();
  // The content was attached to an object in a committed unit of work: keep it.
  void Keep() { kept_ = true; }

 private:
  struct Digest;
  void EnsureContent();
  void FlushChunk();
  void Discard() noexcept;

  Db& db_;
  Principal who_;
  RequestClock clock_;
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
// boundary (so at most kChunkSize), read in its own read unit of work. Empty when the content
// is gone (overwritten or deleted since the download began) or `offset` is past its end.
std::string ReadContentSlice(Db& db, const RequestClock& clock, int64_t content_id, int64_t offset,
                             size_t max_length);

// Duplicates a content's chunks into a new, unattached content (a copy), a few chunks per write
// unit of work as `who`, so neither the writer lock nor a transaction's captured changes ever
// hold a whole object. Returns the new content id; purges what it staged and rethrows on
// failure. The source may be detached meanwhile: the caller publishes the copy only if the
// source content is still its object's (content ids are never reused).
int64_t StageCopy(Db& db, const Principal& who, const RequestClock& clock, int64_t content_id);

// Inside the caller's write unit of work:
// Attaches a staged content to its object. Returns the object's previous contents, now
// detached: the caller purges them (PurgeContents) once its unit of work has committed.
std::vector<int64_t> AttachContent(Connection& conn, int64_t content_id,
                                   const std::string& object_id);
// Detaches the contents of one object before its row is deleted, so the bytes are purged in
// small steps afterwards instead of inside the caller's transaction (where a 50 MB cascade
// would hold the writer lock and fill the page cache).
std::vector<int64_t> DetachObjectContent(Connection& conn, const std::string& object_id);

// Deletes detached contents a few chunks per short write unit of work (as the service). Call
// outside any unit of work. Never throws; what it cannot delete is left for
// RemoveAbandonedUploads.
void PurgeContents(Db& db, const RequestClock& clock,
                   const std::vector<int64_t>& content_ids) noexcept;

// Deletes contents attached to no object: uploads or purges a crash cut short. Call at start,
// before serving (no upload can be in flight then).
void RemoveAbandonedUploads(Db& db, const RequestClock& clock);

}  // namespace ib::storage::objects
