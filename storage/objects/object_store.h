// Object rows (storage_objects): reads filtered by the guard table's USING for a command, and
// writes (insert, overwrite, rename, delete) through RowWriter so hooks see them. The bytes
// live in content_store; an object row points at none until its content is attached. Knows no
// HTTP and no wire shapes. Runs on the caller's unit-of-work connection; stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/guards/policy.h"
#include "storage/principal.h"

namespace ib::storage {
class Catalog;
class Connection;
class Row;
class RowWriter;
}  // namespace ib::storage

namespace ib::storage::objects {

struct ObjectRow {
  int64_t rowid = 0;
  std::string id;
  std::string bucket_id;
  std::string name;
  std::optional<std::string> owner;
  int64_t size = 0;
  std::string mimetype;
  std::string cache_control;
  std::string etag;
  std::optional<std::string> user_metadata;  // JSON text
  std::string created_at;
  std::string updated_at;
  std::string last_accessed_at;
  int64_t content_id = 0;  // 0 when the bytes are missing (never for a published object)
};

// The select list and FROM clause ObjectRow is read from (aliases o and c), and the reader.
extern const char* const kObjectColumns;
extern const char* const kObjectFrom;
ObjectRow ReadObjectRow(const Row& row, int first_column = 0);

// The object, whoever asks (signed URLs, public buckets, the service).
std::optional<ObjectRow> FindObject(Connection& conn, std::string_view bucket_id,
                                    std::string_view name);
// The object if the USING guard of `command` admits `who` on it; nullopt when missing or hidden.
std::optional<ObjectRow> FindObjectFor(Connection& conn, const Principal& who,
                                       guards::Command command, std::string_view bucket_id,
                                       std::string_view name);
// Whether the WITH CHECK of `command` (insert or update) admits `who` writing an object named
// `name` in `bucket_id`; evaluated on the candidate row, before anything is written.
bool MayWriteObject(Connection& conn, const Catalog& catalog, const Principal& who,
                    guards::Command command, std::string_view bucket_id, std::string_view name);
// Every object of a bucket (emptying it).
std::vector<ObjectRow> ObjectsOfBucket(Connection& conn, std::string_view bucket_id);

// What an upload or a copy says about the object.
struct ObjectValues {
  int64_t size = 0;
  std::string mimetype;
  std::string cache_control;
  std::string etag;
  std::optional<std::string> user_metadata;
};

// Inserts the row (owner = the writer's principal when that auth user exists); returns its id.
std::string InsertObject(RowWriter& writer, std::string_view bucket_id, std::string_view name,
                         const ObjectValues& values);
// An upsert's update path: new attributes and owner, same id (as supabase/storage keeps it).
void OverwriteObject(RowWriter& writer, const ObjectRow& object, const ObjectValues& values);
void RenameObject(RowWriter& writer, const ObjectRow& object, std::string_view bucket_id,
                  std::string_view name);
void DeleteObject(RowWriter& writer, const ObjectRow& object);

}  // namespace ib::storage::objects
