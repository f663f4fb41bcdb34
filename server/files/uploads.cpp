#include "server/files/uploads.h"

#include "server/files/buckets.h"
#include "server/files/file_errors.h"
#include "server/files/objects.h"
#include "storage/objects/bucket_store.h"
#include "storage/objects/object_store.h"
#include "storage/unit_of_work.h"

namespace ib::files {
namespace {

using storage::guards::Command;

// The checks shared by both steps, in Postgres' order for INSERT ... ON CONFLICT DO UPDATE
// under RLS: the insert check on the new row first, then the conflict, then for an overwrite
// the update guard on the existing row and the new one. Returns the bucket's limits.
UploadLimits Check(storage::Connection& conn, const storage::Catalog& catalog,
                   const storage::Principal& who, const UploadTarget& target,
                   int64_t global_limit) {
  ValidateObjectKey(target.key);
  auto bucket = storage::objects::FindBucket(conn, target.bucket_id);
  if (!bucket) throw errors::NoSuchBucket();
  auto admits = [&](Command command) {
    return storage::objects::MayWriteObject(conn, catalog, who, command, target.bucket_id,
                                            target.key);
  };
  if (!admits(Command::kInsert)) throw errors::RowLevelSecurity();
  if (storage::objects::FindObject(conn, target.bucket_id, target.key)) {
    if (!target.upsert) throw errors::KeyAlreadyExists();
    if (!storage::objects::FindObjectFor(conn, who, Command::kUpdate, target.bucket_id,
                                         target.key) ||
        !admits(Command::kUpdate)) {
      throw errors::RowLevelSecurity();
    }
  }
  return UploadLimits{EffectiveSizeLimit(*bucket, global_limit), bucket->allowed_mime_types};
}

}  // namespace

UploadLimits PrepareUpload(storage::Db& db, const storage::Principal& who,
                           const storage::RequestClock& clock, const UploadTarget& target,
                           int64_t global_limit) {
  return db.Read(who, clock, [&](storage::ReadScope& scope) {
    return Check(scope.conn(), scope.catalog(), who, target, global_limit);
  });
}

void CheckMimeType(const UploadLimits& limits, const std::string& mimetype) {
  if (!MimeTypeAllowed(limits.allowed_mime_types, mimetype)) {
    throw errors::InvalidMimeType(mimetype);
  }
}

// Why two steps and not one unit of work spanning the whole body: Db has one writer (a mutex
// around one connection), so a transaction open while a slow client trickles 50 MB would stall
// every REST and auth write behind it for as long as the client likes (read timeouts reset on
// each packet). Instead ContentWriter commits each 256 KiB chunk in its own unit of work into
// a content row no object points at, and the upload's effect - the object row plus attaching
// its bytes, replacing any previous ones - is this ONE unit of work. Readers therefore see the
// old object or the new one, never a part; a refused or aborted upload purges its staged
// chunks (and a crash leaves them to RemoveAbandonedUploads at the next start). The cost:
// staged bytes are written to the WAL as they arrive, even for an upload that is refused at
// the end (413 past the limit, a lost duplicate race), and are then purged.
PublishedObject PublishUpload(storage::Db& db, const storage::Principal& who,
                              const storage::RequestClock& clock, const UploadTarget& target,
                              const UploadAttributes& attributes,
                              const storage::objects::StagedContent& content,
                              int64_t global_limit) {
  PublishedObject out;
  std::vector<int64_t> replaced = db.Write(who, clock, [&](storage::WriteScope& scope) {
    // Again inside the unit of work: the bucket or a same-named object may have changed while
    // the body streamed in.
    UploadLimits limits = Check(scope.conn(), scope.catalog(), who, target, global_limit);
    if (content.size > limits.max_size) throw errors::EntityTooLarge();
    CheckMimeType(limits, attributes.mimetype);
    const storage::objects::ObjectValues values{content.size, attributes.mimetype,
                                                attributes.cache_control, content.etag,
                                                attributes.user_metadata};
    auto existing = storage::objects::FindObject(scope.conn(), target.bucket_id, target.key);
    if (existing) {
      // An upsert keeps the object's id (as supabase/storage's does) and takes the new owner.
      storage::objects::OverwriteObject(scope.writer(), *existing, values);
      out.id = existing->id;
    } else {
      out.id = storage::objects::InsertObject(scope.writer(), target.bucket_id, target.key, values);
    }
    out.key = target.bucket_id + "/" + target.key;
    return storage::objects::AttachContent(scope.conn(), content.content_id, out.id);
  });
  storage::objects::PurgeContents(db, clock, replaced);  // an overwrite's old bytes
  return out;
}

}  // namespace ib::files
