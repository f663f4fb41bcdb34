#include "storage/objects/listing.h"

#include "storage/executor.h"
#include "storage/objects/row_guards.h"

namespace ib::storage::objects {
namespace {

const char* DateColumn(ListSort sort) {
  switch (sort) {
    case ListSort::kCreatedAt:
      return "created_at";
    case ListSort::kUpdatedAt:
      return "updated_at";
    case ListSort::kLastAccessedAt:
      return "last_accessed_at";
    case ListSort::kName:
      break;
  }
  return "";
}

std::string OrderBy(const ListQuery& query) {
  const std::string dir = query.descending ? " DESC" : " ASC";
  if (query.sort == ListSort::kName) return " ORDER BY entry" + dir + ", is_folder DESC";
  return std::string(" ORDER BY is_folder DESC, ") + DateColumn(query.sort) + dir + ", entry" +
         dir + ", is_folder DESC";
}

}  // namespace

std::vector<ListedEntry> ListFolder(Connection& conn, const Principal& who,
                                    const std::string& bucket_id, const ListQuery& query) {
  SqlQuery q;
  // 1. The readable rows under the folder, with their name past the folder as `rest`. The
  //    folder is a byte range over the (bucket_id, name) index: names starting with "a/b/"
  //    sort from "a/b/" up to (excluding) "a/b0", '0' being the byte after '/'.
  q.text =
      "WITH visible AS (SELECT o.rowid AS row_id, o.id, o.bucket_id, o.name, o.owner, o.size, "
      "o.mimetype, o.cache_control, o.etag, o.user_metadata, o.created_at, o.updated_at, "
      "o.last_accessed_at, c.id AS content_id, substr(o.name, length(?) + 1) AS rest FROM "
      "storage_objects AS o LEFT JOIN storage_contents AS c ON c.object_id = o.id "
      "WHERE o.bucket_id = ?";
  q.params = {query.folder, bucket_id};
  if (!query.folder.empty()) {
    q.text += " AND o.name >= ? AND o.name < ?";
    q.params.emplace_back(query.folder);
    q.params.emplace_back(query.folder.substr(0, query.folder.size() - 1) + "0");
  }
  q.text += AndUsing("storage_objects", guards::Command::kSelect, who, "o", q.params);
  // 2. Each row as a file (no '/' left) or as the first segment of a deeper path, kept when
  //    that entry name starts with `search`.
  q.text +=
      "), named AS (SELECT *, CASE WHEN instr(rest, '/') > 0 THEN substr(rest, 1, "
      "instr(rest, '/') - 1) ELSE rest END AS entry, instr(rest, '/') > 0 AS is_folder "
      "FROM visible WHERE rest <> ''), matching AS (SELECT * FROM named";
  if (!query.search.empty()) {
    q.text += " WHERE lower(substr(entry, 1, length(?))) = lower(?)";
    q.params.emplace_back(query.search);
    q.params.emplace_back(query.search);
  }
  // 3. Files as they are, each folder once; then sort and page.
  q.text +=
      ") SELECT entry, is_folder, row_id, id, bucket_id, name, owner, size, mimetype, "
      "cache_control, etag, user_metadata, created_at, updated_at, last_accessed_at, "
      "content_id FROM matching WHERE NOT is_folder UNION ALL SELECT entry, 1, NULL, NULL, "
      "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM matching "
      "WHERE is_folder GROUP BY entry";
  q.text += OrderBy(query) + " LIMIT ? OFFSET ?";
  q.params.emplace_back(query.limit);
  q.params.emplace_back(query.offset);
  std::vector<ListedEntry> out;
  Executor(conn).Run(q, [&](const Row& row) {
    ListedEntry entry{row.Text(0), std::nullopt};
    if (row.Int(1) == 0) entry.object = ReadObjectRow(row, 2);
    out.push_back(std::move(entry));
  });
  return out;
}

}  // namespace ib::storage::objects
