#include "storage/objects/content_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

#include "storage/error.h"
#include "storage/executor.h"
#include "storage/unit_of_work.h"

namespace ib::storage::objects {
namespace {

constexpr int64_t kPurgeBatchChunks = 8;  // 2 MiB of object bytes per purge unit of work
constexpr int64_t kCopyBatchChunks = 4;   // 1 MiB per copy unit of work

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

// Releases the page cache of a connection after moving a chunk through it: object bytes are
// read once, and keeping them cached would grow every connection by up to its cache_size
// (16 MB) per large transfer. Same as sqlite3_db_release_memory(); harmless for other users.
// Inside a write the pages just written are still dirty and stay: the next chunk's call frees
// them, so a stream keeps about one chunk cached.
void ShrinkCache(Connection& conn) { Executor(conn).Exec("PRAGMA shrink_memory"); }

Principal Service() {
  Principal p;
  p.role = Role::kServiceRole;
  return p;
}

int64_t InsertedId(const std::optional<SqlValue>& id, const char* what) {
  if (!id || !std::holds_alternative<int64_t>(*id)) throw Error::Internal(what);
  return std::get<int64_t>(*id);
}

}  // namespace

// MD5 of the bytes, computed while they stream in: S3 and Supabase's ETag.
struct ContentWriter::Digest {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Digest() {
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_md5(), nullptr) != 1) {
      throw Error::Internal("md5 unavailable");
    }
  }
  ~Digest() { EVP_MD_CTX_free(ctx); }
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;
  void Update(const char* data, size_t n) { EVP_DigestUpdate(ctx, data, n); }
  std::string Final() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    return Hex(md, len);
  }
};

ContentWriter::ContentWriter(Db& db, const Principal& who, const RequestClock& clock,
                             int64_t max_size)
    : db_(db), who_(who), clock_(clock), max_size_(max_size), digest_(std::make_unique<Digest>()) {
  buffer_.reserve(kChunkSize);
}

ContentWriter::~ContentWriter() {
  if (!kept_) Discard();
}

void ContentWriter::Append(const char* data, size_t length) {
  size_ += static_cast<int64_t>(length);
  if (too_large_) return;
  if (size_ > max_size_) {
    too_large_ = true;
    buffer_.clear();
    buffer_.shrink_to_fit();
    Discard();
    return;
  }
  digest_->Update(data, length);
  while (length > 0) {
    size_t take = std::min(length, kChunkSize - buffer_.size());
    buffer_.append(data, take);
    data += take;
    length -= take;
    if (buffer_.size() == kChunkSize) FlushChunk();
  }
}

void ContentWriter::EnsureContent() {
  if (content_id_ != 0) return;
  content_id_ = db_.Write(who_, clock_, [](WriteScope& scope) {
    return InsertedId(
        Executor(scope.conn())
            .Scalar({"INSERT INTO storage_contents (object_id) VALUES (NULL) RETURNING id",
                     {},
                     "storage_contents"}),
        "storage_contents: no id returned");
  });
}

void ContentWriter::FlushChunk() {
  EnsureContent();
  SqlQuery insert{"INSERT INTO storage_object_chunks (content_id, idx, data) VALUES (?, ?, ?)",
                  {content_id_, next_index_, Blob{std::move(buffer_)}},
                  "storage_object_chunks"};
  db_.Write(who_, clock_, [&](WriteScope& scope) {
    Executor(scope.conn()).Run(insert);
    ShrinkCache(scope.conn());
  });
  ++next_index_;
  buffer_ = std::string();
  buffer_.reserve(kChunkSize);
}

StagedContent ContentWriter::Finish() {
  if (!buffer_.empty()) FlushChunk();
  EnsureContent();
  return StagedContent{content_id_, size_, "\"" + digest_->Final() + "\""};
}

void ContentWriter::Discard() noexcept {
  if (content_id_ == 0) return;
  try {
    PurgeContents(db_, clock_, {content_id_});
  } catch (...) {
    // No memory even for the one-id list: RemoveAbandonedUploads frees the content later.
  }
  content_id_ = 0;
}

std::string ReadContentSlice(Db& db, const RequestClock& clock, int64_t content_id, int64_t offset,
                             size_t max_length) {
  if (offset < 0 || max_length == 0) return "";
  const int64_t index = offset / static_cast<int64_t>(kChunkSize);
  const size_t within = static_cast<size_t>(offset % static_cast<int64_t>(kChunkSize));
  return db.Read(Service(), clock, [&](ReadScope& scope) {
    std::string out;
    Executor(scope.conn())
        .Run({"SELECT data FROM storage_object_chunks WHERE content_id = ? AND idx = ?",
              {content_id, index},
              ""},
             [&](const Row& row) {
               std::string_view data = row[0].text;
               if (within < data.size()) out.assign(data.substr(within, max_length));
             });
    ShrinkCache(scope.conn());
    return out;
  });
}

int64_t StageCopy(Db& db, const Principal& who, const RequestClock& clock, int64_t content_id) {
  const int64_t new_id = db.Write(who, clock, [&](WriteScope& scope) {
    return InsertedId(
        Executor(scope.conn())
            .Scalar({"INSERT INTO storage_contents (object_id, size) SELECT NULL, size FROM "
                     "storage_contents WHERE id = ? RETURNING id",
                     {content_id},
                     "storage_contents"}),
        "copy: no content");
  });
  try {
    for (int64_t from = 0;; from += kCopyBatchChunks) {
      const int64_t copied = db.Write(who, clock, [&](WriteScope& scope) {
        // One statement per batch: SQLite moves the blobs page by page.
        const int64_t n = Executor(scope.conn())
                              .Run({"INSERT INTO storage_object_chunks (content_id, idx, data) "
                                    "SELECT ?, idx, data FROM storage_object_chunks WHERE "
                                    "content_id = ? AND idx >= ? AND idx < ?",
                                    {new_id, content_id, from, from + kCopyBatchChunks},
                                    "storage_object_chunks"});
        ShrinkCache(scope.conn());
        return n;
      });
      if (copied < kCopyBatchChunks) break;
    }
  } catch (...) {
    PurgeContents(db, clock, {new_id});
    throw;
  }
  return new_id;
}

std::vector<int64_t> AttachContent(Connection& conn, int64_t content_id,
                                   const std::string& object_id) {
  std::vector<int64_t> previous = DetachObjectContent(conn, object_id);
  Executor(conn).Run(
      {"UPDATE storage_contents SET object_id = ?, size = (SELECT size FROM "
       "storage_objects WHERE id = ?) WHERE id = ?",
       {object_id, object_id, content_id},
       "storage_contents"});
  return previous;
}

std::vector<int64_t> DetachObjectContent(Connection& conn, const std::string& object_id) {
  std::vector<int64_t> ids;
  Executor(conn).Run({"UPDATE storage_contents SET object_id = NULL WHERE object_id = ? "
                      "RETURNING id",
                      {object_id},
                      "storage_contents"},
                     [&](const Row& row) { ids.push_back(row.Int(0)); });
  return ids;
}

namespace {

// One detached content's chunks, then its row.
void PurgeContent(Db& db, const RequestClock& clock, int64_t id) {
  const Principal service = Service();
  for (;;) {
    const int64_t deleted = db.Write(service, clock, [&](WriteScope& scope) {
      Executor ex(scope.conn());
      const int64_t n =
          ex.Run({"DELETE FROM storage_object_chunks WHERE rowid IN (SELECT ch.rowid FROM "
                  "storage_object_chunks AS ch JOIN storage_contents AS c ON c.id = ch.content_id "
                  "WHERE ch.content_id = ? AND c.object_id IS NULL LIMIT ?)",
                  {id, kPurgeBatchChunks},
                  "storage_object_chunks"});
      if (n == 0) {
        ex.Run({"DELETE FROM storage_contents WHERE id = ? AND object_id IS NULL",
                {id},
                "storage_contents"});
      }
      ShrinkCache(scope.conn());
      return n;
    });
    if (deleted == 0) break;
  }
}

// stdio, which cannot throw, so a failed purge never escapes PurgeContents.
void LogPurgeFailure(int64_t id, const char* what) noexcept {
  std::fprintf(stderr, "storage: could not purge content %lld: %s\n", static_cast<long long>(id),
               what);
}

}  // namespace

void PurgeContents(Db& db, const RequestClock& clock,
                   const std::vector<int64_t>& content_ids) noexcept {
  for (int64_t id : content_ids) {
    try {
      PurgeContent(db, clock, id);
    } catch (const std::exception& e) {
      LogPurgeFailure(id, e.what());
    } catch (...) {
      LogPurgeFailure(id, "unknown error");
    }
  }
}

void RemoveAbandonedUploads(Db& db, const RequestClock& clock) {
  std::vector<int64_t> abandoned = db.Read(Service(), clock, [](ReadScope& scope) {
    std::vector<int64_t> ids;
    Executor(scope.conn())
        .Run({"SELECT id FROM storage_contents WHERE object_id IS NULL", {}, ""},
             [&](const Row& row) { ids.push_back(row.Int(0)); });
    return ids;
  });
  PurgeContents(db, clock, abandoned);
}

}  // namespace ib::storage::objects
