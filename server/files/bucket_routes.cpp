// /storage/v1/bucket: list, get, create, update, empty, delete (docs/wire.md, Storage).
#include "server/files/buckets.h"
#include "server/files/file_errors.h"
#include "server/files/file_routes_internal.h"

namespace ib::files::routes {
namespace {

using nlohmann::json;

storage::objects::BucketListQuery ListOptionsFromQuery(const httplib::Request& req) {
  using storage::objects::BucketSort;
  storage::objects::BucketListQuery o;
  auto number = [&](const char* name) -> std::optional<int64_t> {
    auto v = QueryValue(req, name);
    if (!v || v->empty()) return std::nullopt;
    try {
      size_t used = 0;
      long long n = std::stoll(*v, &used);
      if (used == v->size() && n >= 0) return n;
    } catch (const std::exception&) {
    }
    throw errors::InvalidRequest(std::string(name) + " must be a non-negative integer");
  };
  o.limit = number("limit");
  o.offset = number("offset").value_or(0);
  o.search = QueryValue(req, "search").value_or("");
  if (auto column = QueryValue(req, "sortColumn"); column && !column->empty()) {
    if (*column == "id") {
      o.sort = BucketSort::kId;
    } else if (*column == "name") {
      o.sort = BucketSort::kName;
    } else if (*column == "created_at") {
      o.sort = BucketSort::kCreatedAt;
    } else if (*column == "updated_at") {
      o.sort = BucketSort::kUpdatedAt;
    } else {
      throw errors::InvalidRequest("sortColumn must be one of id, name, created_at, updated_at");
    }
  }
  o.descending = QueryValue(req, "sortOrder").value_or("asc") == "desc";
  return o;
}

}  // namespace

void RegisterBucketRoutes(httplib::Server& server, const http::ServerContext& ctx) {
  const std::string bucket = std::string(kPrefix) + "/bucket";
  const std::string one = bucket + "/([^/]+)";
  const int64_t global_limit = ctx.config.storage_max_file_size;

  server.Get(
      bucket + "/?", Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                                    http::RequestContext& rc) {
        Caller c = Authenticate(req, ctx, rc);
        json out = json::array();
        for (const auto& b : ListBuckets(ctx.db, c.who, c.clock, ListOptionsFromQuery(req))) {
          out.push_back(BucketJson(b));
        }
        SendJson(res, out);
      }));

  server.Get(one, Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                                 http::RequestContext& rc) {
               Caller c = Authenticate(req, ctx, rc);
               SendJson(res, BucketJson(GetBucket(ctx.db, c.who, c.clock, Capture(req, 1))));
             }));

  server.Post(bucket + "/?",
              Storage([&ctx, global_limit](const httplib::Request& req, httplib::Response& res,
                                           http::RequestContext& rc) {
                Caller c = Authenticate(req, ctx, rc);
                BucketSpec spec = ParseBucketSpec(JsonBody(req), "", /*create=*/true);
                CreateBucket(ctx.db, c.who, c.clock, spec, global_limit);
                SendJson(res, {{"name", spec.id}});
              }));

  server.Put(one, Storage([&ctx, global_limit](const httplib::Request& req, httplib::Response& res,
                                               http::RequestContext& rc) {
               Caller c = Authenticate(req, ctx, rc);
               BucketSpec spec = ParseBucketSpec(JsonBody(req), Capture(req, 1), /*create=*/false);
               UpdateBucket(ctx.db, c.who, c.clock, spec, global_limit);
               SendJson(res, {{"message", "Successfully updated"}});
             }));

  server.Post(one + "/empty", Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                                             http::RequestContext& rc) {
                Caller c = Authenticate(req, ctx, rc);
                EmptyBucket(ctx.db, c.who, c.clock, Capture(req, 1));
                SendJson(res, {{"message", "Successfully emptied"}});
              }));

  server.Delete(one, Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                                    http::RequestContext& rc) {
                  Caller c = Authenticate(req, ctx, rc);
                  DeleteBucket(ctx.db, c.who, c.clock, Capture(req, 1));
                  SendJson(res, {{"message", "Successfully deleted"}});
                }));
}

}  // namespace ib::files::routes
