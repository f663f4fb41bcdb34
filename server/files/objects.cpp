#include "server/files/objects.h"

#include <ctime>

#include "server/files/file_errors.h"
#include "server/files/object_policies.h"
#include "server/files/object_store.h"
#include "storage/executor.h"
#include "storage/transaction.h"

namespace ib::files {
namespace {

using nlohmann::json;
using storage::Executor;
using storage::SqlValue;

constexpr size_t kMaxKeyBytes = 1024;

json MetadataJson(const std::optional<std::string>& text) {
  if (!text) return json::object();
  auto parsed = json::parse(*text, nullptr, false);
  return parsed.is_discarded() ? json::object() : parsed;
}

// Length of the UTF-8 sequence starting at s[i], 0 when invalid (overlongs and surrogates too).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 2 && c < 0xC2) return 0;
  if (n == 3 && c == 0xE0 && byte(i + 1) < 0xA0) return 0;
  if (n == 3 && c == 0xED && byte(i + 1) >= 0xA0) return 0;
  if (n == 4 && (c > 0xF4 || (c == 0xF0 && byte(i + 1) < 0x90) ||
                 (c == 0xF4 && byte(i + 1) >= 0x90))) {
    return 0;
  }
  return n;
}

storage::Principal Service() {
  storage::Principal p;
  p.role = storage::Role::kServiceRole;
  return p;
}

// The destination side of a move or copy: bucket visible, key valid and free, policy allows,
// size and type fit the destination bucket.
Bucket CheckDestination(storage::Connection& conn, const storage::Principal& who,
                        const MoveRequest& r, ObjectCommand command, const ObjectRow& source,
                        int64_t global_limit) {
  Bucket dest = LoadVisibleBucket(conn, who, r.destination_bucket);
  if (!MayAccessObject(who, command, dest.facts(), r.destination_key)) {
    throw errors::RowLevelSecurity();
  }
  if (LoadObject(conn, dest.id, r.destination_key)) throw errors::KeyAlreadyExists();
  if (source.size > EffectiveSizeLimit(dest, global_limit)) throw errors::EntityTooLarge();
  if (!MimeTypeAllowed(dest.allowed_mime_types, source.mimetype)) {
    throw errors::InvalidMimeType(source.mimetype);
  }
  return dest;
}

// The source side: hidden or missing -> NoSuchKey.
ObjectRow LoadReadableSource(storage::Connection& conn, const storage::Principal& who,
                             const MoveRequest& r) {
  Bucket bucket = LoadVisibleBucket(conn, who, r.bucket_id);
  auto row = LoadObject(conn, bucket.id, r.source_key);
  if (!row || !MayAccessObject(who, ObjectCommand::kSelect, bucket.facts(), row->name)) {
    throw errors::NoSuchKey();
  }
  return std::move(*row);
}

}  // namespace

const char* const kObjectColumns =
    "o.id, o.bucket_id, o.name, o.owner, o.size, o.mimetype, o.cache_control, o.etag, "
    "o.user_metadata, o.created_at, o.updated_at, o.last_accessed_at, c.id";
const char* const kObjectFrom =
    "storage_objects AS o LEFT JOIN storage_contents AS c ON c.object_id = o.id";

ObjectRow ReadObjectRow(const storage::Row& row) {
  ObjectRow o;
  o.id = row.Text(0);
  o.bucket_id = row.Text(1);
  o.name = row.Text(2);
  o.owner = row.OptText(3);
  o.size = row.Int(4);
  o.mimetype = row.Text(5);
  o.cache_control = row.Text(6);
  o.etag = row.Text(7);
  o.user_metadata = row.OptText(8);
  o.created_at = row.Text(9);
  o.updated_at = row.Text(10);
  o.last_accessed_at = row.Text(11);
  o.content_id = row.Int(12);
  return o;
}

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
    size_t n = Utf8SequenceLength(key, i);
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

std::optional<ObjectRow> LoadObject(storage::Connection& conn, std::string_view bucket_id,
                                    std::string_view key) {
  std::optional<ObjectRow> out;
  Executor(conn).Run({std::string("SELECT ") + kObjectColumns + " FROM " + kObjectFrom +
                          " WHERE o.bucket_id = ? AND o.name = ?",
                      {std::string(bucket_id), std::string(key)}, ""},
                     [&](const storage::Row& row) { out = ReadObjectRow(row); });
  return out;
}

ReadTarget FindReadableObject(storage::Db& db, const storage::Principal& who,
                              std::string_view bucket_id, std::string_view key) {
  storage::Db::ReadLease lease(db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kRead);
  Bucket bucket = LoadVisibleBucket(lease.conn(), who, bucket_id);
  auto row = LoadObject(lease.conn(), bucket.id, key);
  if (!row || !MayAccessObject(who, ObjectCommand::kSelect, bucket.facts(), key)) {
    throw errors::NoSuchKey();
  }
  tx.Commit();
  return ReadTarget{std::move(bucket), std::move(*row)};
}

ReadTarget FindPublicObject(storage::Db& db, std::string_view bucket_id, std::string_view key) {
  storage::Db::ReadLease lease(db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kRead);
  auto bucket = LoadBucket(lease.conn(), bucket_id);
  if (!bucket || !bucket->is_public) throw errors::NoSuchBucket();
  auto row = LoadObject(lease.conn(), bucket->id, key);
  if (!row) throw errors::NoSuchKey();
  tx.Commit();
  return ReadTarget{std::move(*bucket), std::move(*row)};
}

ReadTarget FindObjectBySignature(storage::Db& db, std::string_view bucket_id,
                                 std::string_view key) {
  return FindReadableObject(db, Service(), bucket_id, key);
}

std::vector<ObjectRow> RemoveObjects(storage::Db& db, const storage::Principal& who,
                                     std::string_view bucket_id,
                                     const std::vector<std::string>& keys) {
  if (keys.size() > kMaxRemoveKeys) {
    throw errors::InvalidRequest("prefixes must NOT have more than 1000 items");
  }
  std::vector<ObjectRow> removed;
  std::vector<int64_t> detached;
  {
    storage::Db::WriteLease lease(db);
    storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
    Bucket bucket = LoadVisibleBucket(lease.conn(), who, bucket_id);
    Executor ex(lease.conn());
    for (const auto& key : keys) {
      auto row = LoadObject(lease.conn(), bucket.id, key);
      if (!row || !MayAccessObject(who, ObjectCommand::kDelete, bucket.facts(), key)) continue;
      for (int64_t content : DetachObjectContent(lease.conn(), row->id)) {
        detached.push_back(content);
      }
      ex.Run({"DELETE FROM storage_objects WHERE id = ?", {row->id}, "storage_objects"});
      removed.push_back(std::move(*row));
    }
    tx.Commit();
  }
  PurgeContents(db, detached);  // the bytes, in small steps, with the lease released
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

void MoveObject(storage::Db& db, const storage::Principal& who, const MoveRequest& r,
                int64_t global_limit) {
  storage::Db::WriteLease lease(db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
  ObjectRow source = LoadReadableSource(lease.conn(), who, r);
  Bucket bucket = LoadVisibleBucket(lease.conn(), who, r.bucket_id);
  // A move is an UPDATE of the row: the update policy must admit the old row and the new one.
  if (!MayAccessObject(who, ObjectCommand::kUpdate, bucket.facts(), source.name)) {
    throw errors::RowLevelSecurity();
  }
  Bucket dest = CheckDestination(lease.conn(), who, r, ObjectCommand::kUpdate, source,
                                 global_limit);
  Executor(lease.conn())
      .Run({"UPDATE storage_objects SET bucket_id = ?, name = ?, updated_at = now() WHERE id = ?",
            {dest.id, r.destination_key, source.id}, "storage_objects"});
  tx.Commit();
}

std::string CopyObject(storage::Db& db, const storage::Principal& who, const MoveRequest& r,
                       int64_t global_limit) {
  storage::Db::WriteLease lease(db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
  ObjectRow source = LoadReadableSource(lease.conn(), who, r);
  Bucket dest = CheckDestination(lease.conn(), who, r, ObjectCommand::kInsert, source,
                                 global_limit);
  Executor ex(lease.conn());
  auto id = ex.Scalar(
      {"INSERT INTO storage_objects (bucket_id, name, owner, size, mimetype, cache_control, "
       "etag, user_metadata) VALUES (?, ?, (SELECT id FROM auth_users WHERE id = ?), ?, ?, ?, ?, "
       "?) RETURNING id",
       {dest.id, r.destination_key, who.user_id, source.size, source.mimetype,
        source.cache_control, source.etag,
        source.user_metadata ? SqlValue{*source.user_metadata} : SqlValue{}},
       "storage_objects"});
  if (!id || !std::holds_alternative<std::string>(*id)) {
    throw storage::Error::Internal("copy: no id returned");
  }
  const std::string& new_id = std::get<std::string>(*id);
  // A new object: nothing is detached.
  (void)AttachContent(lease.conn(), CopyContent(lease.conn(), source.content_id), new_id);
  tx.Commit();
  return new_id;
}

}  // namespace ib::files
