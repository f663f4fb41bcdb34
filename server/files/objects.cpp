#include "server/files/objects.h"

#include <ctime>

#include "server/files/file_errors.h"
#include "storage/objects/bucket_store.h"
#include "storage/objects/content_store.h"
#include "storage/unit_of_work.h"
#include "storage/utf8.h"

namespace ib::files {
namespace {

using nlohmann::json;
using storage::guards::Command;

constexpr size_t kMaxKeyBytes = 1024;

json MetadataJson(const std::optional<std::string>& text) {
  if (!text) return json::object();
  auto parsed = json::parse(*text, nullptr, false);
  return parsed.is_discarded() ? json::object() : parsed;
}

storage::Principal Service() {
  storage::Principal p;
  p.role = storage::Role::kServiceRole;
  return p;
}

BucketRow VisibleBucket(storage::Connection& conn, const storage::Principal& who,
                        std::string_view id) {
  auto bucket = storage::objects::FindVisibleBucket(conn, who, id);
  if (!bucket) throw errors::NoSuchBucket();
  return std::move(*bucket);
}

// The source of a move or copy: hidden or missing -> NoSuchKey.
ObjectRow ReadableSource(storage::Connection& conn, const storage::Principal& who,
                         const MoveRequest& r) {
  BucketRow bucket = VisibleBucket(conn, who, r.bucket_id);
  auto row = storage::objects::FindObjectFor(conn, who, Command::kSelect, bucket.id, r.source_key);
  if (!row) throw errors::NoSuchKey();
  return std::move(*row);
}

// The destination of a move (update) or copy (insert): bucket visible, the guard's check
// admits the new row (before anything could reveal whether the key is taken), key free, size
// and type fit the destination bucket.
BucketRow CheckDestination(storage::Connection& conn, const storage::Catalog& catalog,
                           const storage::Principal& who, const MoveRequest& r, Command command,
                           const ObjectRow& source, int64_t global_limit) {
  BucketRow dest = VisibleBucket(conn, who, r.destination_bucket);
  if (!storage::objects::MayWriteObject(conn, catalog, who, command, dest.id, r.destination_key)) {
    throw errors::RowLevelSecurity();
  }
  if (storage::objects::FindObject(conn, dest.id, r.destination_key)) {
    throw errors::KeyAlreadyExists();
  }
  if (source.size > EffectiveSizeLimit(dest, global_limit)) throw errors::EntityTooLarge();
  if (!MimeTypeAllowed(dest.allowed_mime_types, source.mimetype)) {
    throw errors::InvalidMimeType(source.mimetype);
  }
  return dest;
}

}  // namespace

json SystemMetadata(const ObjectRow& row) {
  return {{"eTag", row.etag},
          {"size", row.size},
          {"mimetype", row.mimetype},
          {"cacheControl", row.cache_control},
          {"lastModified", row.updated_at},
          {"contentLength", row.size},
          {"httpStatusCode", 200}};
}

json RemovedRowJson(const ObjectRow& row) {
  return {{"name", row.name},
          {"bucket_id", row.bucket_id},
          {"owner", row.owner ? json(*row.owner) : json(nullptr)},
          {"id", row.id},
          {"updated_at", row.updated_at},
          {"created_at", row.created_at},
          {"last_accessed_at", row.last_accessed_at},
          {"metadata", SystemMetadata(row)},
          {"user_metadata", MetadataJson(row.user_metadata)}};
}

json InfoJson(const ObjectRow& row) {
  return {{"id", row.id},
          {"version", row.id},
          {"name", row.name},
          {"bucket_id", row.bucket_id},
          {"size", row.size},
          {"content_type", row.mimetype},
          {"cache_control", row.cache_control},
          {"etag", row.etag},
          {"metadata", MetadataJson(row.user_metadata)},
          {"last_modified", row.updated_at},
          {"created_at", row.created_at},
          {"updated_at", row.updated_at},
          {"last_accessed_at", row.last_accessed_at}};
}

bool IsValidObjectKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeyBytes) return false;
  if (key.front() == '/' || key.back() == '/') return false;
  if (key.find("//") != std::string_view::npos) return false;
  for (size_t i = 0; i < key.size();) {
    auto c = static_cast<unsigned char>(key[i]);
    if (c < 0x20 || c == 0x7F) return false;
    size_t n = storage::Utf8SequenceLength(key, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void ValidateObjectKey(std::string_view key) {
  if (!IsValidObjectKey(key)) throw errors::InvalidKey(key);
}

std::string HttpDate(std::string_view timestamptz) {
  std::tm tm{};
  std::string text(timestamptz.substr(0, 19));
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return "";
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t t = timegm(&tm);
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &out);
  return std::string(buf, n);
}

ReadTarget FindReadableObject(storage::Db& db, const storage::Principal& who,
                              const storage::RequestClock& clock, std::string_view bucket_id,
                              std::string_view key) {
  return db.Read(who, clock, [&](storage::ReadScope& scope) {
    BucketRow bucket = VisibleBucket(scope.conn(), who, bucket_id);
    auto row = storage::objects::FindObjectFor(scope.conn(), who, Command::kSelect, bucket.id, key);
    if (!row) throw errors::NoSuchKey();
    return ReadTarget{std::move(bucket), std::move(*row)};
  });
}

ReadTarget FindPublicObject(storage::Db& db, const storage::RequestClock& clock,
                            std::string_view bucket_id, std::string_view key) {
  return db.Read(storage::Principal{}, clock, [&](storage::ReadScope& scope) {
    auto bucket = storage::objects::FindBucket(scope.conn(), bucket_id);
    if (!bucket || !bucket->is_public) throw errors::NoSuchBucket();
    auto row = storage::objects::FindObject(scope.conn(), bucket->id, key);
    if (!row) throw errors::NoSuchKey();
    return ReadTarget{std::move(*bucket), std::move(*row)};
  });
}

ReadTarget FindObjectBySignature(storage::Db& db, const storage::RequestClock& clock,
                                 std::string_view bucket_id, std::string_view key) {
  return FindReadableObject(db, Service(), clock, bucket_id, key);
}

std::vector<ObjectRow> RemoveObjects(storage::Db& db, const storage::Principal& who,
                                     const storage::RequestClock& clock, std::string_view bucket_id,
                                     const std::vector<std::string>& keys) {
  if (keys.size() > kMaxRemoveKeys) {
    throw errors::InvalidRequest("prefixes must NOT have more than 1000 items");
  }
  std::vector<ObjectRow> removed;
  std::vector<int64_t> detached;
  db.Write(who, clock, [&](storage::WriteScope& scope) {
    BucketRow bucket = VisibleBucket(scope.conn(), who, bucket_id);
    for (const auto& key : keys) {
      auto row =
          storage::objects::FindObjectFor(scope.conn(), who, Command::kDelete, bucket.id, key);
      if (!row) continue;
      for (int64_t content : storage::objects::DetachObjectContent(scope.conn(), row->id)) {
        detached.push_back(content);
      }
      storage::objects::DeleteObject(scope.writer(), *row);
      removed.push_back(std::move(*row));
    }
  });
  storage::objects::PurgeContents(db, clock, detached);  // the bytes, in small steps
  return removed;
}

MoveRequest ParseMoveRequest(const json& body) {
  if (!body.is_object()) throw errors::InvalidRequest("body must be a JSON object");
  auto text = [&](const char* key, bool required) -> std::string {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
      if (required) {
        throw errors::MissingParameter(std::string("body must have required property '") + key +
                                       "'");
      }
      return "";
    }
    if (!it->is_string()) throw errors::InvalidRequest(std::string(key) + " must be a string");
    return it->get<std::string>();
  };
  MoveRequest r;
  r.bucket_id = text("bucketId", true);
  r.source_key = text("sourceKey", true);
  r.destination_key = text("destinationKey", true);
  r.destination_bucket = text("destinationBucket", false);
  if (r.destination_bucket.empty()) r.destination_bucket = r.bucket_id;
  ValidateObjectKey(r.destination_key);
  return r;
}

void MoveObject(storage::Db& db, const storage::Principal& who, const storage::RequestClock& clock,
                const MoveRequest& r, int64_t global_limit) {
  db.Write(who, clock, [&](storage::WriteScope& scope) {
    ObjectRow source = ReadableSource(scope.conn(), who, r);
    // A move is an UPDATE of the row: the update guard must admit the old row and the new one.
    if (!storage::objects::FindObjectFor(scope.conn(), who, Command::kUpdate, source.bucket_id,
                                         source.name)) {
      throw errors::RowLevelSecurity();
    }
    BucketRow dest = CheckDestination(scope.conn(), scope.catalog(), who, r, Command::kUpdate,
                                      source, global_limit);
    storage::objects::RenameObject(scope.writer(), source, dest.id, r.destination_key);
  });
}

// In three steps, like an upload: the checks (so a refused copy stages nothing), the bytes
// duplicated a few chunks per unit of work, then the new row and its bytes in one unit of work
// after the checks again. If the source was overwritten or removed while its bytes were being
// copied, the staged copy is dropped and the copy starts over (a few times at most).
std::string CopyObject(storage::Db& db, const storage::Principal& who,
                       const storage::RequestClock& clock, const MoveRequest& r,
                       int64_t global_limit) {
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    const ObjectRow source = db.Read(who, clock, [&](storage::ReadScope& scope) {
      ObjectRow row = ReadableSource(scope.conn(), who, r);
      CheckDestination(scope.conn(), scope.catalog(), who, r, Command::kInsert, row, global_limit);
      return row;
    });
    const int64_t staged = storage::objects::StageCopy(db, who, clock, source.content_id);
    std::optional<std::string> id;
    try {
      id = db.Write(who, clock, [&](storage::WriteScope& scope) -> std::optional<std::string> {
        ObjectRow now = ReadableSource(scope.conn(), who, r);
        BucketRow dest = CheckDestination(scope.conn(), scope.catalog(), who, r, Command::kInsert,
                                          now, global_limit);
        if (now.content_id != source.content_id) return std::nullopt;  // changed meanwhile
        std::string new_id = storage::objects::InsertObject(
            scope.writer(), dest.id, r.destination_key,
            {now.size, now.mimetype, now.cache_control, now.etag, now.user_metadata});
        // A new object: nothing is detached.
        (void)storage::objects::AttachContent(scope.conn(), staged, new_id);
        return new_id;
      });
    } catch (...) {
      storage::objects::PurgeContents(db, clock, {staged});
      throw;
    }
    if (id) return *id;
    storage::objects::PurgeContents(db, clock, {staged});
    if (attempt == kAttempts) throw storage::Error::Internal("copy: the source kept changing");
  }
}

}  // namespace ib::files
