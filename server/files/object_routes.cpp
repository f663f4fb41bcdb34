// /storage/v1/object: list, remove, move, copy, info, and creating signed URLs
// (docs/wire.md, Storage).
#include "server/files/file_errors.h"
#include "server/files/file_routes_internal.h"
#include "server/files/object_listing.h"
#include "server/files/objects.h"
#include "server/files/signed_urls.h"

namespace ib::files::routes {
namespace {

using nlohmann::json;

int64_t ExpiresIn(const json& body) {
  auto it = body.find("expiresIn");
  if (it == body.end() || it->is_null()) {
    throw errors::MissingParameter("body must have required property 'expiresIn'");
  }
  if (!it->is_number()) throw errors::InvalidRequest("expiresIn must be a number");
  double seconds = it->get<double>();
  if (!(seconds >= 1) || seconds > static_cast<double>(kMaxSignedUrlSeconds)) {
    throw errors::InvalidRequest("expiresIn must be >= 1");
  }
  return static_cast<int64_t>(seconds);
}

std::vector<std::string> StringList(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_array()) {
    throw errors::MissingParameter(std::string("body must have required property '") + key + "'");
  }
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (!item.is_string()) throw errors::InvalidRequest(std::string(key) + " must be strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

void RegisterObjectRoutes(httplib::Server& server, const http::ServerContext& ctx) {
  const std::string object = std::string(kPrefix) + "/object";
  const int64_t global_limit = ctx.config.storage_max_file_size;

  server.Post(object + "/list/([^/]+)",
              Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                             http::RequestContext& rc) {
                Caller c = Authenticate(req, ctx, rc);
                SendJson(res, ListObjects(ctx.db, c.who, c.clock, Capture(req, 1),
                                          ParseListOptions(JsonBody(req))));
              }));

  // remove(paths): exact keys despite the name `prefixes`; missing or hidden ones are skipped.
  server.Delete(
      object + "/([^/]+)", Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                                          http::RequestContext& rc) {
        Caller c = Authenticate(req, ctx, rc);
        json out = json::array();
        auto keys = StringList(JsonBody(req), "prefixes");
        for (const auto& row : RemoveObjects(ctx.db, c.who, c.clock, Capture(req, 1), keys)) {
          out.push_back(RemovedRowJson(row));
        }
        SendJson(res, out);
      }));

  server.Delete(
      object + "/([^/]+)/(.+)", Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                                               http::RequestContext& rc) {
        Caller c = Authenticate(req, ctx, rc);
        if (RemoveObjects(ctx.db, c.who, c.clock, Capture(req, 1), {Capture(req, 2)}).empty()) {
          throw errors::NoSuchKey();
        }
        SendJson(res, {{"message", "Successfully deleted"}});
      }));

  server.Post(object + "/move",
              Storage([&ctx, global_limit](const httplib::Request& req, httplib::Response& res,
                                           http::RequestContext& rc) {
                Caller c = Authenticate(req, ctx, rc);
                MoveObject(ctx.db, c.who, c.clock, ParseMoveRequest(JsonBody(req)), global_limit);
                SendJson(res, {{"message", "Successfully moved"}});
              }));

  server.Post(
      object + "/copy",
      Storage([&ctx, global_limit](const httplib::Request& req, httplib::Response& res,
                                   http::RequestContext& rc) {
        Caller c = Authenticate(req, ctx, rc);
        MoveRequest move = ParseMoveRequest(JsonBody(req));
        std::string id = CopyObject(ctx.db, c.who, c.clock, move, global_limit);
        SendJson(res, {{"Id", id}, {"Key", move.destination_bucket + "/" + move.destination_key}});
      }));

  server.Post(object + "/sign/([^/]+)/(.+)",
              Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                             http::RequestContext& rc) {
                Caller c = Authenticate(req, ctx, rc);
                const int64_t expires_in = ExpiresIn(JsonBody(req));
                ReadTarget t =
                    FindReadableObject(ctx.db, c.who, c.clock, Capture(req, 1), Capture(req, 2));
                std::string token = SignObjectToken(t.bucket.id, t.object.name, expires_in,
                                                    ctx.secret, c.clock.now_seconds());
                SendJson(res, {{"signedURL", SignedUrlPath(t.bucket.id, t.object.name, token)}});
              }));

  server.Post(
      object + "/sign/([^/]+)", Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                                               http::RequestContext& rc) {
        Caller c = Authenticate(req, ctx, rc);
        json body = JsonBody(req);
        const int64_t expires_in = ExpiresIn(body);
        const std::string bucket = Capture(req, 1);
        json out = json::array();
        for (const auto& path : StringList(body, "paths")) {
          json entry = {{"path", path}, {"signedURL", nullptr}, {"error", nullptr}};
          try {
            ReadTarget t = FindReadableObject(ctx.db, c.who, c.clock, bucket, path);
            entry["signedURL"] = SignedUrlPath(
                bucket, path,
                SignObjectToken(bucket, path, expires_in, ctx.secret, c.clock.now_seconds()));
          } catch (const storage::Error& e) {
            if (e.Is(storage::ErrorCode::kNoSuchBucket)) throw;
            entry["error"] = "Either the object does not exist or you do not have access to it";
          }
          out.push_back(std::move(entry));
        }
        SendJson(res, out);
      }));

  auto info = Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                             http::RequestContext& rc) {
    Caller c = Authenticate(req, ctx, rc);
    SendJson(
        res,
        InfoJson(
            FindReadableObject(ctx.db, c.who, c.clock, Capture(req, 1), Capture(req, 2)).object));
  });
  server.Get(object + "/info/authenticated/([^/]+)/(.+)", info);
  server.Get(object + "/info/([^/]+)/(.+)", info);
}

}  // namespace ib::files::routes
