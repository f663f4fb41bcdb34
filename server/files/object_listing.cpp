#include "server/files/object_listing.h"

#include <algorithm>
#include <cctype>

#include "server/files/file_errors.h"
#include "server/files/objects.h"
#include "storage/objects/bucket_store.h"
#include "storage/unit_of_work.h"

namespace ib::files {
namespace {

using nlohmann::json;
using storage::objects::ListedEntry;
using storage::objects::ListQuery;
using storage::objects::ListSort;

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

ListQuery ParseListOptions(const json& body) {
  if (!body.is_object()) throw errors::InvalidRequest("body must be a JSON object");
  ListQuery o;
  o.folder = StringField(body, "prefix");
  if (!o.folder.empty() && o.folder.back() != '/') o.folder += '/';
  o.limit = IntField(body, "limit", 100);
  o.offset = IntField(body, "offset", 0);
  o.search = StringField(body, "search");
  if (auto it = body.find("sortBy"); it != body.end() && it->is_object()) {
    std::string column = StringField(*it, "column");
    std::string order = StringField(*it, "order");
    if (!column.empty()) {
      if (column == "name") {
        o.sort = ListSort::kName;
      } else if (column == "created_at") {
        o.sort = ListSort::kCreatedAt;
      } else if (column == "updated_at") {
        o.sort = ListSort::kUpdatedAt;
      } else if (column == "last_accessed_at") {
        o.sort = ListSort::kLastAccessedAt;
      } else {
        throw errors::InvalidRequest(
            "sortBy.column must be one of name, created_at, "
            "updated_at, last_accessed_at");
      }
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

json ListingJson(const std::vector<ListedEntry>& entries) {
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

json ListObjects(storage::Db& db, const storage::Principal& who, const storage::RequestClock& clock,
                 const std::string& bucket_id, const ListQuery& query) {
  return db.Read(who, clock, [&](storage::ReadScope& scope) {
    auto bucket = storage::objects::FindVisibleBucket(scope.conn(), who, bucket_id);
    if (!bucket) throw errors::NoSuchBucket();
    return ListingJson(storage::objects::ListFolder(scope.conn(), who, bucket->id, query));
  });
}

}  // namespace ib::files
