// Downloads (docs/wire.md, Storage): GET/HEAD /object/{bucket}/{key} and its /authenticated alias
// (a missing or bad bearer counts as anon), /object/public/... (public buckets only) and
// /object/sign/...?token= (the token is the authority). Bytes stream one chunk at a time from
// the database; single byte ranges answer 206 (or 416), ETag/If-None-Match answer 304. Active
// content types (server/files/active_types.h) always go out as attachments.
#include "server/files/active_types.h"
#include "server/files/byte_range.h"
#include "server/files/file_errors.h"
#include "server/files/file_routes_internal.h"
#include "server/files/objects.h"
#include "server/files/signed_urls.h"
#include "storage/objects/content_store.h"

namespace ib::files::routes {
namespace {

// httplib 0.11 slices every routed response itself when the request carried a Range header
// (Server::apply_ranges: no 416, and error bodies get cut too). These routes answer ranges
// themselves, so they drop httplib's parsed copy first. `req` is httplib's own non-const
// Request object, handed to handlers as const, so the cast is well-defined.
void TakeOverRanges(const httplib::Request& req) {
  const_cast<httplib::Request&>(req).ranges.clear();
}

// `download` query parameter: present -> attachment, with a value -> that file name. An
// active type (HTML, SVG, XML, JavaScript) is always an attachment, so a stored file is never
// rendered as a page of the API's origin.
void SetDisposition(const httplib::Request& req, httplib::Response& res,
                    const std::string& mimetype) {
  auto name = QueryValue(req, "download");
  if (!name && IsActiveContentType(mimetype)) name = "";
  if (!name) return;
  if (name->empty()) {
    res.set_header("Content-Disposition", "attachment");
    return;
  }
  std::string quoted;
  for (char c : *name) {
    if (c == '\r' || c == '\n') continue;
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  res.set_header("Content-Disposition", "attachment; filename=\"" + quoted + "\"");
}

void Serve(const http::ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
           const storage::RequestClock& clock, const ReadTarget& target) {
  const ObjectRow& o = target.object;
  res.set_header("ETag", o.etag);
  res.set_header("Cache-Control", o.cache_control);
  res.set_header("Accept-Ranges", "bytes");
  if (std::string date = HttpDate(o.updated_at); !date.empty()) {
    res.set_header("Last-Modified", date);
  }
  SetDisposition(req, res, o.mimetype);
  if (auto match = http::Header(req, "If-None-Match"); match && *match == o.etag) {
    res.status = 304;
    return;
  }
  ByteRange range = ParseByteRange(http::Header(req, "Range"), o.size);
  if (range.kind == ByteRange::Kind::kUnsatisfiable) {
    http::RenderError(http::Service::kStorage, errors::InvalidRange(), res);
    res.status = 416;
    res.set_header("Content-Range", ContentRangeHeader(range, o.size));
    return;
  }
  int64_t first = 0;
  int64_t length = o.size;
  res.status = 200;
  if (range.kind == ByteRange::Kind::kPartial) {
    res.status = 206;
    res.set_header("Content-Range", ContentRangeHeader(range, o.size));
    first = range.first;
    length = range.length();
  }
  if (length == 0) {
    res.set_content("", o.mimetype);
    return;
  }
  storage::Db* db = &ctx.db;
  const int64_t content_id = o.content_id;
  // Runs after the handler returned, on the same worker thread, once per chunk. Exceptions
  // must not escape into httplib: a failed read ends the response early (the client sees a
  // short body against Content-Length) instead of sending bytes of another version.
  res.set_content_provider(
      static_cast<size_t>(length), o.mimetype,
      [db, clock, content_id, first](size_t offset, size_t max, httplib::DataSink& sink) {
        try {
          std::string bytes = storage::objects::ReadContentSlice(
              *db, clock, content_id, first + static_cast<int64_t>(offset), max);
          return !bytes.empty() && sink.write(bytes.data(), bytes.size());
        } catch (const std::exception&) {
          return false;
        }
      });
}

}  // namespace

void RegisterDownloadRoutes(httplib::Server& server, const http::ServerContext& ctx) {
  const std::string object = std::string(kPrefix) + "/object";

  server.Get(object + "/sign/([^/]+)/(.+)",
             Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                            http::RequestContext& rc) {
               TakeOverRanges(req);
               rc.principal = "signed-url";
               const std::string bucket = Capture(req, 1);
               const std::string key = Capture(req, 2);
               const storage::RequestClock clock = rc.clock;
               VerifyObjectToken(QueryValue(req, "token").value_or(""), bucket, key, ctx.secret,
                                 clock.now_seconds());
               Serve(ctx, req, res, clock, FindObjectBySignature(ctx.db, clock, bucket, key));
             }));

  server.Get(object + "/public/([^/]+)/(.+)",
             Storage([&ctx](const httplib::Request& req, httplib::Response& res,
                            http::RequestContext& rc) {
               TakeOverRanges(req);
               rc.principal = "public";
               const storage::RequestClock clock = rc.clock;
               Serve(ctx, req, res, clock,
                     FindPublicObject(ctx.db, clock, Capture(req, 1), Capture(req, 2)));
             }));

  auto download = Storage(
      [&ctx](const httplib::Request& req, httplib::Response& res, http::RequestContext& rc) {
        TakeOverRanges(req);
        Caller c = Authenticate(req, ctx, rc, AuthMode::kLenient);
        Serve(ctx, req, res, c.clock,
              FindReadableObject(ctx.db, c.who, c.clock, Capture(req, 1), Capture(req, 2)));
      });
  server.Get(object + "/authenticated/([^/]+)/(.+)", download);
  server.Get(object + "/([^/]+)/(.+)", download);
}

}  // namespace ib::files::routes
