#include "storage/objects/bucket_store.h"

#include <nlohmann/json.hpp>

#include "storage/executor.h"
#include "storage/objects/row_guards.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::storage::objects {
namespace {

constexpr const char* kBucketColumns =
    "b.rowid, b.id, b.name, b.owner, b.public, b.file_size_limit, b.allowed_mime_types, "
    "b.created_at, b.updated_at";
constexpr std::string_view kTable = "storage_buckets";

BucketRow ReadBucket(const Row& row) {
  BucketRow b;
  b.rowid = row.Int(0);
  b.id = row.Text(1);
  b.name = row.Text(2);
  b.owner = row.OptText(3).value_or("");
  b.is_public = row.Int(4) != 0;
  if (!row[5].is_null()) b.file_size_limit = row.Int(5);
  if (auto types = row.OptText(6)) {
    auto parsed = nlohmann::json::parse(*types, nullptr, false);
    if (parsed.is_array()) {
      std::vector<std::string> list;
      for (const auto& t : parsed) {
        if (t.is_string()) list.push_back(t.get<std::string>());
      }
      b.allowed_mime_types = std::move(list);
    }
  }
  b.created_at = row.Text(7);
  b.updated_at = row.Text(8);
  return b;
}

std::optional<BucketRow> FindOne(Connection& conn, const SqlQuery& query) {
  std::optional<BucketRow> out;
  Executor(conn).Run(query, [&](const Row& row) { out = ReadBucket(row); });
  return out;
}

const char* SortColumn(BucketSort sort) {
  switch (sort) {
    case BucketSort::kId:
      return "b.id";
    case BucketSort::kName:
      return "b.name";
    case BucketSort::kCreatedAt:
      return "b.created_at";
    case BucketSort::kUpdatedAt:
      return "b.updated_at";
  }
  return "b.name";
}

// The stored forms: allowed_mime_types is a JSON array text, public an integer.
void SetValues(hooks::RowData& row, const BucketValues& values) {
  if (values.is_public) row["public"] = int64_t{*values.is_public ? 1 : 0};
  if (values.file_size_limit) {
    row["file_size_limit"] =
        *values.file_size_limit ? SqlValue{**values.file_size_limit} : SqlValue{};
  }
  if (values.allowed_mime_types) {
    row["allowed_mime_types"] = *values.allowed_mime_types
                                    ? SqlValue{nlohmann::json(**values.allowed_mime_types).dump()}
                                    : SqlValue{};
  }
}

}  // namespace

std::optional<BucketRow> FindBucket(Connection& conn, std::string_view id) {
  return FindOne(
      conn, {std::string("SELECT ") + kBucketColumns + " FROM storage_buckets AS b WHERE b.id = ?",
             {std::string(id)},
             ""});
}

std::optional<BucketRow> FindVisibleBucket(Connection& conn, const Principal& who,
                                           std::string_view id) {
  SqlQuery q{std::string("SELECT ") + kBucketColumns + " FROM storage_buckets AS b WHERE b.id = ?",
             {std::string(id)},
             ""};
  q.text += AndUsing(kTable, guards::Command::kSelect, who, "b", q.params);
  return FindOne(conn, q);
}

std::vector<BucketRow> ListVisibleBuckets(Connection& conn, const Principal& who,
                                          const BucketListQuery& query) {
  SqlQuery q{
      std::string("SELECT ") + kBucketColumns + " FROM storage_buckets AS b WHERE 1", {}, ""};
  if (!query.search.empty()) {
    // instr over lower(): a substring test with no LIKE wildcards to escape.
    q.text += " AND instr(lower(b.name), lower(?)) > 0";
    q.params.emplace_back(query.search);
  }
  q.text += AndUsing(kTable, guards::Command::kSelect, who, "b", q.params);
  const char* order = query.descending ? " DESC" : " ASC";
  q.text += std::string(" ORDER BY ") + SortColumn(query.sort) + order + ", b.id" + order;
  q.text += " LIMIT ? OFFSET ?";
  q.params.emplace_back(query.limit ? *query.limit : int64_t{-1});  // -1: no limit in SQLite
  q.params.emplace_back(query.offset);
  std::vector<BucketRow> out;
  Executor(conn).Run(q, [&](const Row& row) { out.push_back(ReadBucket(row)); });
  return out;
}

bool BucketIdOrNameTaken(Connection& conn, std::string_view id, std::string_view name) {
  return Executor(conn)
      .Scalar({"SELECT 1 FROM storage_buckets WHERE id = ? OR name = ?",
               {std::string(id), std::string(name)},
               ""})
      .has_value();
}

bool BucketHasObjects(Connection& conn, std::string_view id) {
  return Executor(conn)
      .Scalar({"SELECT 1 FROM storage_objects WHERE bucket_id = ? LIMIT 1", {std::string(id)}, ""})
      .has_value();
}

bool MayWriteBucket(Connection& conn, const Catalog& catalog, const Principal& who,
                    guards::Command command, std::string_view id) {
  if (command == guards::Command::kInsert) {
    return CheckAdmits(conn, catalog, who, kTable, command, {{"id", std::string(id)}});
  }
  SqlQuery q{"SELECT 1 FROM storage_buckets AS b WHERE b.id = ?", {std::string(id)}, ""};
  const std::string guard = AndUsing(kTable, command, who, "b", q.params);
  if (guard.empty()) return true;  // unrestricted: a missing bucket is reported as missing
  q.text += guard;
  return Executor(conn).Scalar(q).has_value();
}

void InsertBucket(RowWriter& writer, std::string_view id, std::string_view name,
                  const BucketValues& values) {
  const std::string now = FormatTimestamptz(writer.now_micros());
  hooks::RowData row = {{"id", std::string(id)},
                        {"name", std::string(name)},
                        {"created_at", now},
                        {"updated_at", now}};
  if (!writer.who().user_id.empty()) row["owner"] = writer.who().user_id;
  SetValues(row, values);
  writer.Insert(kTable, std::move(row));
}

void UpdateBucket(RowWriter& writer, const BucketRow& bucket, const BucketValues& values) {
  // Absent fields keep their value, as supabase/storage's update does.
  hooks::RowData changes = {{"updated_at", FormatTimestamptz(writer.now_micros())}};
  SetValues(changes, values);
  writer.Update(kTable, bucket.rowid, std::move(changes));
}

void DeleteBucket(RowWriter& writer, const BucketRow& bucket) {
  writer.Delete(kTable, bucket.rowid);
}

}  // namespace ib::storage::objects
