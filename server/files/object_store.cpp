#include "server/files/object_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <iostream>

#include "storage/error.h"
#include "storage/executor.h"
#include "storage/transaction.h"

namespace ib::files {
namespace {

using storage::Executor;
using storage::Transaction;

constexpr int64_t kPurgeBatchChunks = 8;  // 2 MiB of object bytes per purge transaction

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
void ShrinkCache(storage::Connection& conn) { Executor(conn).Exec("PRAGMA shrink_memory"); }

}  // namespace

// MD5 of the bytes, computed while they stream in: S3 and Supabase's ETag.
struct ObjectWriter::Digest {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Digest() {
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_md5(), nullptr) != 1) {
      throw storage::Error::Internal("md5 unavailable");
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

ObjectWriter::ObjectWriter(storage::Db& db, int64_t max_size)
    : db_(db), max_size_(max_size), digest_(std::make_unique<Digest>()) {
  buffer_.reserve(kChunkSize);
}

ObjectWriter::~ObjectWriter() {
  if (!kept_) Discard();
}

void ObjectWriter::Append(const char* data, size_t length) {
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

void ObjectWriter::EnsureContent() {
  if (content_id_ != 0) return;
  storage::Db::WriteLease lease(db_);
  Transaction tx(lease.conn(), Transaction::Mode::kWrite);
  auto id = Executor(lease.conn())
                .Scalar({"INSERT INTO storage_contents (object_id) VALUES (NULL) RETURNING id",
                         {}, "storage_contents"});
  if (!id || !std::holds_alternative<int64_t>(*id)) {
    throw storage::Error::Internal("storage_contents: no id returned");
  }
  tx.Commit();
  content_id_ = std::get<int64_t>(*id);
}

void ObjectWriter::FlushChunk() {
  EnsureContent();
  storage::Db::WriteLease lease(db_);
  Transaction tx(lease.conn(), Transaction::Mode::kWrite);
  storage::SqlQuery insert{
      "INSERT INTO storage_object_chunks (content_id, idx, data) VALUES (?, ?, ?)",
      {content_id_, next_index_, storage::Blob{std::move(buffer_)}},
      "storage_object_chunks"};
  Executor(lease.conn()).Run(insert);
  tx.Commit();
  ShrinkCache(lease.conn());
  ++next_index_;
  buffer_ = std::string();
  buffer_.reserve(kChunkSize);
}

StagedContent ObjectWriter::Finish() {
  if (!buffer_.empty()) FlushChunk();
  EnsureContent();
  return StagedContent{content_id_, size_, "\"" + digest_->Final() + "\""};
}

void ObjectWriter::Discard() noexcept {
  if (content_id_ == 0) return;
  PurgeContents(db_, {content_id_});
  content_id_ = 0;
}

std::string ReadContentSlice(storage::Db& db, int64_t content_id, int64_t offset,
                             size_t max_length) {
  if (offset < 0 || max_length == 0) return "";
  const int64_t index = offset / static_cast<int64_t>(kChunkSize);
  const size_t within = static_cast<size_t>(offset % static_cast<int64_t>(kChunkSize));
  std::string out;
  storage::Db::ReadLease lease(db);
  Executor(lease.conn())
      .Run({"SELECT data FROM storage_object_chunks WHERE content_id = ? AND idx = ?",
            {content_id, index}, ""},
           [&](const storage::Row& row) {
             std::string_view data = row[0].text;
             if (within < data.size()) out.assign(data.substr(within, max_length));
           });
  ShrinkCache(lease.conn());
  return out;
}

int64_t CopyContent(storage::Connection& conn, int64_t content_id) {
  Executor ex(conn);
  auto id = ex.Scalar({"INSERT INTO storage_contents (object_id, size) SELECT NULL, size FROM "
                       "storage_contents WHERE id = ? RETURNING id",
                       {content_id}, "storage_contents"});
  if (!id || !std::holds_alternative<int64_t>(*id)) throw storage::Error::Internal("copy: no content");
  const int64_t new_id = std::get<int64_t>(*id);
  // One statement: SQLite moves the blobs page by page, never the whole object in memory.
  ex.Run({"INSERT INTO storage_object_chunks (content_id, idx, data) SELECT ?, idx, data FROM "
          "storage_object_chunks WHERE content_id = ?",
          {new_id, content_id}, "storage_object_chunks"});
  return new_id;
}

std::vector<int64_t> AttachContent(storage::Connection& conn, int64_t content_id,
                                   const std::string& object_id) {
  std::vector<int64_t> previous = DetachObjectContent(conn, object_id);
  Executor(conn).Run({"UPDATE storage_contents SET object_id = ?, size = (SELECT size FROM "
                      "storage_objects WHERE id = ?) WHERE id = ?",
                      {object_id, object_id, content_id},
                      "storage_contents"});
  return previous;
}

std::vector<int64_t> DetachObjectContent(storage::Connection& conn,
                                         const std::string& object_id) {
  std::vector<int64_t> ids;
  Executor(conn).Run({"UPDATE storage_contents SET object_id = NULL WHERE object_id = ? "
                      "RETURNING id",
                      {object_id}, "storage_contents"},
                     [&](const storage::Row& row) { ids.push_back(row.Int(0)); });
  return ids;
}

std::vector<int64_t> DetachBucketContents(storage::Connection& conn,
                                          std::string_view bucket_id) {
  std::vector<int64_t> ids;
  Executor(conn).Run({"UPDATE storage_contents SET object_id = NULL WHERE object_id IN "
                      "(SELECT id FROM storage_objects WHERE bucket_id = ?) RETURNING id",
                      {std::string(bucket_id)}, "storage_contents"},
                     [&](const storage::Row& row) { ids.push_back(row.Int(0)); });
  return ids;
}

void PurgeContents(storage::Db& db, const std::vector<int64_t>& content_ids) noexcept {
  for (int64_t id : content_ids) {
    try {
      // A few chunks per transaction: freeing a blob's overflow pages reads every one of them,
      // so one big DELETE would fill the writer's page cache and hold the lock throughout.
      for (;;) {
        storage::Db::WriteLease lease(db);
        Transaction tx(lease.conn(), Transaction::Mode::kWrite);
        int64_t deleted = Executor(lease.conn())
                              .Run({"DELETE FROM storage_object_chunks WHERE rowid IN (SELECT "
                                    "ch.rowid FROM storage_object_chunks AS ch JOIN "
                                    "storage_contents AS c ON c.id = ch.content_id WHERE "
                                    "ch.content_id = ? AND c.object_id IS NULL LIMIT ?)",
                                    {id, kPurgeBatchChunks}, "storage_object_chunks"});
        if (deleted == 0) {
          Executor(lease.conn())
              .Run({"DELETE FROM storage_contents WHERE id = ? AND object_id IS NULL", {id},
                    "storage_contents"});
        }
        tx.Commit();
        ShrinkCache(lease.conn());
        if (deleted == 0) break;
      }
    } catch (const std::exception& e) {
      std::cerr << "storage: could not purge content " << id << ": " << e.what() << std::endl;
    }
  }
}

void RemoveAbandonedUploads(storage::Db& db) {
  std::vector<int64_t> abandoned;
  {
    storage::Db::ReadLease lease(db);
    Executor(lease.conn())
        .Run({"SELECT id FROM storage_contents WHERE object_id IS NULL", {}, ""},
             [&](const storage::Row& row) { abandoned.push_back(row.Int(0)); });
  }
  PurgeContents(db, abandoned);
}

}  // namespace ib::files
