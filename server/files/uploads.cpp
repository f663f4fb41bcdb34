#include "server/files/uploads.h"

#include "server/files/buckets.h"
#include "server/files/file_errors.h"
#include "server/files/object_policies.h"
#include "server/files/objects.h"
#include "storage/executor.h"
#include "storage/transaction.h"

namespace ib::files {
namespace {

using storage::Executor;
using storage::SqlValue;

// The checks shared by both steps; returns the bucket's limits.
UploadLimits Check(storage::Connection& conn, const storage::Principal& who,
                   const UploadTarget& target, int64_t global_limit) {
  ValidateObjectKey(target.key);
  auto bucket = LoadBucket(conn, target.bucket_id);
  if (!bucket) throw errors::NoSuchBucket();
  auto existing = LoadObject(conn, target.bucket_id, target.key);
  if (existing && !target.upsert) throw errors::KeyAlreadyExists();
  // Insert, or for an overwrite the update policy (it checks the same path rule on the row).
  const ObjectCommand command = existing ? ObjectCommand::kUpdate : ObjectCommand::kInsert;
  if (!MayAccessObject(who, command, bucket->facts(), target.key)) {
    throw errors::RowLevelSecurity();
  }
  return UploadLimits{EffectiveSizeLimit(*bucket, global_limit), bucket->allowed_mime_types};
}

// Upsert keeps the object's id (as supabase/storage's upsert does) and takes the new owner.
std::string InsertOrOverwrite(storage::Connection& conn, const storage::Principal& who,
                              const UploadTarget& target, const UploadAttributes& attributes,
                              const StagedContent& content) {
  const SqlValue metadata =
      attributes.user_metadata ? SqlValue{*attributes.user_metadata} : SqlValue{};
  auto id = Executor(conn).Scalar(
      {"INSERT INTO storage_objects (bucket_id, name, owner, size, mimetype, cache_control, "
       "etag, user_metadata) VALUES (?1, ?2, (SELECT id FROM auth_users WHERE id = ?3), ?4, ?5, "
       "?6, ?7, ?8) ON CONFLICT (bucket_id, name) DO UPDATE SET owner = excluded.owner, "
       "size = excluded.size, mimetype = excluded.mimetype, cache_control = "
       "excluded.cache_control, etag = excluded.etag, user_metadata = excluded.user_metadata, "
       "updated_at = now(), last_accessed_at = now() RETURNING id",
       {target.bucket_id, target.key, who.user_id, content.size, attributes.mimetype,
        attributes.cache_control, content.etag, metadata},
       "storage_objects"});
  if (!id || !std::holds_alternative<std::string>(*id)) {
    throw storage::Error::Internal("upload: no id returned");
  }
  return std::get<std::string>(*id);
}

}  // namespace

UploadLimits PrepareUpload(storage::Db& db, const storage::Principal& who,
                           const UploadTarget& target, int64_t global_limit) {
  storage::Db::ReadLease lease(db);
  storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kRead);
  UploadLimits limits = Check(lease.conn(), who, target, global_limit);
  tx.Commit();
  return limits;
}

void CheckMimeType(const UploadLimits& limits, const std::string& mimetype) {
  if (!MimeTypeAllowed(limits.allowed_mime_types, mimetype)) {
    throw errors::InvalidMimeType(mimetype);
  }
}

// Why two steps and not one transaction spanning the whole body: Db has one writer (a mutex
// around one connection), so a transaction open while a slow client trickles 50 MB would stall
// every REST and auth write behind it for as long as the client likes (read timeouts reset on
// each packet). Instead ObjectWriter commits each 256 KiB chunk on its own into a content row
// no object points at, and the upload's effect - the object row plus attaching its bytes,
// replacing any previous ones - is this ONE transaction. Readers therefore see the old object
// or the new one, never a part; a refused or aborted upload purges its staged chunks (and a
// crash leaves them to RemoveAbandonedUploads at the next start). The cost: staged bytes are
// written to the WAL as they arrive, even for an upload that is refused at the end (413 past
// the limit, a lost duplicate race), and are then purged.
PublishedObject PublishUpload(storage::Db& db, const storage::Principal& who,
                              const UploadTarget& target, const UploadAttributes& attributes,
                              const StagedContent& content, int64_t global_limit) {
  PublishedObject out;
  std::vector<int64_t> replaced;
  {
    storage::Db::WriteLease lease(db);
    storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kWrite);
    // Again under the writer lock: the bucket or a same-named object may have changed while
    // the body streamed in.
    UploadLimits limits = Check(lease.conn(), who, target, global_limit);
    if (content.size > limits.max_size) throw errors::EntityTooLarge();
    CheckMimeType(limits, attributes.mimetype);
    out = PublishedObject{InsertOrOverwrite(lease.conn(), who, target, attributes, content),
                          target.bucket_id + "/" + target.key};
    replaced = AttachContent(lease.conn(), content.content_id, out.id);
    tx.Commit();
  }
  PurgeContents(db, replaced);  // an overwrite's old bytes, with the lease released
  return out;
}

}  // namespace ib::files
