#include "server/files/object_listing.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "server/files/file_errors.h"
#include "server/files/object_policies.h"
#include "storage/executor.h"
#include "storage/transaction.h"

namespace ib::files {
namespace {

using nlohmann::json;

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

const std::string& DateColumn(const ObjectRow& row, const std::string& column) {
  if (column == "created_at") return row.created_at;
  if (column == "last_accessed_at") return row.last_accessed_at;
  return row.updated_at;
}

int64_t IntField(const json& body, const char* key, int64_t fallback) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() && !it->is_number_unsigned()) {
    throw errors::InvalidRequest(std::string(key) + " must be an integer");
  }
  auto v = it->get<int64_t>();
  if (v < 0) throw errors::InvalidRequest(std::string(key) + " must be >= 0");
  return v;
}

std::string StringField(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return "";
  if (!it->is_string()) throw errors::InvalidRequest(std::string(key) + " must be a string");
  return it->get<std::string>();
}

}  // namespace

std::string ListOptions::Folder() const {
  if (prefix.empty() || prefix.back() == '/') return prefix;
  return prefix + "/";
}

std::string ListEntry::ToString() const { return object ? name : name + "/"; }

ListOptions ParseListOptions(const json& body) {
  if (!body.is_object()) throw errors::InvalidRequest("body must be a JSON object");
  ListOptions o;
  o.prefix = StringField(body, "prefix");
  o.limit = IntField(body, "limit", 100);
  o.offset = IntField(body, "offset", 0);
  o.search = StringField(body, "search");
  if (auto it = body.find("sortBy"); it != body.end() && it->is_object()) {
    std::string column = StringField(*it, "column");
    std::string order = StringField(*it, "order");
    if (!column.empty()) {
      if (column != "name" && column != "created_at" && column != "updated_at" &&
          column != "last_accessed_at") {
        throw errors::InvalidRequest("sortBy.column must be one of name, created_at, "
                                     "updated_at, last_accessed_at");
      }
      o.sort_column = column;
    }
    std::transform(order.begin(), order.end(), order.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!order.empty() && order != "asc" && order != "desc") {
      throw errors::InvalidRequest("sortBy.order must be asc or desc");
    }
    o.descending = order == "desc";
  }
  return o;
}

std::vector<ListEntry> CollapseListing(const std::vector<ObjectRow>& rows,
                                       const ListOptions& options) {
  const std::string folder = options.Folder();
  std::vector<ListEntry> entries;
  std::map<std::string, bool> folders;  // each sub-folder once
  for (const auto& row : rows) {
    if (row.name.size() <= folder.size() || row.name.compare(0, folder.size(), folder) != 0) {
      continue;
    }
    std::string rest = row.name.substr(folder.size());
    auto slash = rest.find('/');
    const bool is_file = slash == std::string::npos;
    std::string name = is_file ? std::move(rest) : rest.substr(0, slash);
    if (!StartsWithIgnoringCase(name, options.search)) continue;
    if (is_file) {
      entries.push_back(ListEntry{std::move(name), &row});
    } else if (folders.emplace(name, true).second) {
      entries.push_back(ListEntry{std::move(name), nullptr});
    }
  }
  // By name (byte order, like Postgres' COLLATE "C"), folders interleaved with files; by a
  // date, folders (which have none) first, then files by the date, ties by name.
  const bool by_name = options.sort_column == "name";
  const bool desc = options.descending;
  std::stable_sort(entries.begin(), entries.end(), [&](const ListEntry& a, const ListEntry& b) {
    if (!by_name) {
      const bool a_folder = a.object == nullptr;
      const bool b_folder = b.object == nullptr;
      if (a_folder != b_folder) return a_folder;
      if (!a_folder) {
        const auto& da = DateColumn(*a.object, options.sort_column);
        const auto& db = DateColumn(*b.object, options.sort_column);
        if (da != db) return desc ? db < da : da < db;
      }
    }
    if (a.name != b.name) return desc ? b.name < a.name : a.name < b.name;
    return a.object == nullptr && b.object != nullptr;  // same name: folder first
  });
  const size_t offset = static_cast<size_t>(options.offset);
  if (offset >= entries.size()) return {};
  entries.erase(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(offset));
  if (static_cast<size_t>(options.limit) < entries.size()) {
    entries.resize(static_cast<size_t>(options.limit));
  }
  return entries;
}

json ListingJson(const std::vector<ListEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries) {
    if (!e.object) {
      out.push_back({{"name", e.name},
                     {"id", nullptr},
                     {"updated_at", nullptr},
                     {"created_at", nullptr},
                     {"last_accessed_at", nullptr},
                     {"metadata", nullptr}});
      continue;
    }
    out.push_back({{"name", e.name},
                   {"id", e.object->id},
                   {"updated_at", e.object->updated_at},
                   {"created_at", e.object->created_at},
                   {"last_accessed_at", e.object->last_accessed_at},
                   {"metadata", SystemMetadata(*e.object)}});
  }
  return out;
}

json ListObjects(storage::Db& db, const storage::Principal& who, const std::string& bucket_id,
                 const ListOptions& options) {
  std::vector<ObjectRow> rows;
  {
    storage::Db::ReadLease lease(db);
    storage::Transaction tx(lease.conn(), storage::Transaction::Mode::kRead);
    Bucket bucket = LoadVisibleBucket(lease.conn(), who, bucket_id);
    const std::string folder = options.Folder();
    // A name range over the (bucket_id, name) index: names starting with "a/b/" sort between
    // "a/b/" and "a/b0" ('0' follows '/').
    std::string sql = std::string("SELECT ") + kObjectColumns + " FROM " + kObjectFrom +
                      " WHERE o.bucket_id = ?";
    std::vector<storage::SqlValue> params = {bucket.id};
    if (!folder.empty()) {
      sql += " AND o.name >= ? AND o.name < ?";
      params.emplace_back(folder);
      params.emplace_back(folder.substr(0, folder.size() - 1) + "0");
    }
    storage::Executor(lease.conn())
        .Run({sql, std::move(params), ""}, [&](const storage::Row& row) {
          ObjectRow object = ReadObjectRow(row);
          if (MayAccessObject(who, ObjectCommand::kSelect, bucket.facts(), object.name)) {
            rows.push_back(std::move(object));
          }
        });
    tx.Commit();
  }
  return ListingJson(CollapseListing(rows, options));
}

}  // namespace ib::files
