#include "storage/objects/object_store.h"

#include "storage/error.h"
#include "storage/executor.h"
#include "storage/objects/row_guards.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::storage::objects {
namespace {

constexpr std::string_view kTable = "storage_objects";

std::optional<ObjectRow> FindOne(Connection& conn, const SqlQuery& query) {
  std::optional<ObjectRow> out;
  Executor(conn).Run(query, [&](const Row& row) { out = ReadObjectRow(row); });
  return out;
}

SqlQuery SelectByName(std::string_view bucket_id, std::string_view name) {
  return {std::string("SELECT ") + kObjectColumns + " FROM " + kObjectFrom +
              " WHERE o.bucket_id = ? AND o.name = ?",
          {std::string(bucket_id), std::string(name)},
          ""};
}

// The owner column: the writer's user when that auth user exists (a service key's `sub` may
// name nobody), else NULL.
SqlValue OwnerOf(RowWriter& writer) {
  const std::string& uid = writer.who().user_id;
  if (uid.empty()) return SqlValue{};
  auto found =
      Executor(writer.conn()).Scalar({"SELECT id FROM auth_users WHERE id = ?", {uid}, ""});
  return found ? *found : SqlValue{};
}

void SetValues(hooks::RowData& row, const ObjectValues& values) {
  row["size"] = values.size;
  row["mimetype"] = values.mimetype;
  row["cache_control"] = values.cache_control;
  row["etag"] = values.etag;
  row["user_metadata"] = values.user_metadata ? SqlValue{*values.user_metadata} : SqlValue{};
}

}  // namespace

const char* const kObjectColumns =
    "o.rowid, o.id, o.bucket_id, o.name, o.owner, o.size, o.mimetype, o.cache_control, o.etag, "
    "o.user_metadata, o.created_at, o.updated_at, o.last_accessed_at, c.id";
const char* const kObjectFrom =
    "storage_objects AS o LEFT JOIN storage_contents AS c ON c.object_id = o.id";

ObjectRow ReadObjectRow(const Row& row, int first) {
  ObjectRow o;
  o.rowid = row.Int(first);
  o.id = row.Text(first + 1);
  o.bucket_id = row.Text(first + 2);
  o.name = row.Text(first + 3);
  o.owner = row.OptText(first + 4);
  o.size = row.Int(first + 5);
  o.mimetype = row.Text(first + 6);
  o.cache_control = row.Text(first + 7);
  o.etag = row.Text(first + 8);
  o.user_metadata = row.OptText(first + 9);
  o.created_at = row.Text(first + 10);
  o.updated_at = row.Text(first + 11);
  o.last_accessed_at = row.Text(first + 12);
  o.content_id = row.Int(first + 13);
  return o;
}

std::optional<ObjectRow> FindObject(Connection& conn, std::string_view bucket_id,
                                    std::string_view name) {
  return FindOne(conn, SelectByName(bucket_id, name));
}

std::optional<ObjectRow> FindObjectFor(Connection& conn, const Principal& who,
                                       guards::Command command, std::string_view bucket_id,
                                       std::string_view name) {
  SqlQuery q = SelectByName(bucket_id, name);
  q.text += AndUsing(kTable, command, who, "o", q.params);
  return FindOne(conn, q);
}

bool MayWriteObject(Connection& conn, const Catalog& catalog, const Principal& who,
                    guards::Command command, std::string_view bucket_id, std::string_view name) {
  return CheckAdmits(conn, catalog, who, kTable, command,
                     {{"bucket_id", std::string(bucket_id)}, {"name", std::string(name)}});
}

std::vector<ObjectRow> ObjectsOfBucket(Connection& conn, std::string_view bucket_id) {
  std::vector<ObjectRow> out;
  Executor(conn).Run(
      {std::string("SELECT ") + kObjectColumns + " FROM " + kObjectFrom + " WHERE o.bucket_id = ?",
       {std::string(bucket_id)},
       ""},
      [&](const Row& row) { out.push_back(ReadObjectRow(row)); });
  return out;
}

std::string InsertObject(RowWriter& writer, std::string_view bucket_id, std::string_view name,
                         const ObjectValues& values) {
  const std::string now = FormatTimestamptz(writer.now_micros());
  hooks::RowData row = {{"bucket_id", std::string(bucket_id)},
                        {"name", std::string(name)},
                        {"owner", OwnerOf(writer)},
                        {"created_at", now},
                        {"updated_at", now},
                        {"last_accessed_at", now}};
  SetValues(row, values);
  const int64_t rowid = writer.Insert(kTable, std::move(row));
  auto stored = writer.Read(kTable, rowid);
  if (!stored) throw Error::Internal("storage_objects: inserted row not found");
  return hooks::TextOf(*stored, "id");
}

void OverwriteObject(RowWriter& writer, const ObjectRow& object, const ObjectValues& values) {
  const std::string now = FormatTimestamptz(writer.now_micros());
  hooks::RowData changes = {
      {"owner", OwnerOf(writer)}, {"updated_at", now}, {"last_accessed_at", now}};
  SetValues(changes, values);
  writer.Update(kTable, object.rowid, std::move(changes));
}

void RenameObject(RowWriter& writer, const ObjectRow& object, std::string_view bucket_id,
                  std::string_view name) {
  writer.Update(kTable, object.rowid,
                {{"bucket_id", std::string(bucket_id)},
                 {"name", std::string(name)},
                 {"updated_at", FormatTimestamptz(writer.now_micros())}});
}

void DeleteObject(RowWriter& writer, const ObjectRow& object) {
  writer.Delete(kTable, object.rowid);
}

}  // namespace ib::storage::objects
