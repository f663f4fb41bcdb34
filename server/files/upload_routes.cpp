// Uploads (docs/wire.md, Storage): POST /object/{bucket}/{key} (x-upsert) and PUT (overwrite or
// create), raw body or multipart/form-data. Registered in httplib's content-reader form so the
// body streams into ContentWriter chunk by chunk and is never held whole. A refused upload
// still reads (and drops) the rest of the body, so the client always gets the answer
// instead of a reset connection.
#include <charconv>

#include "server/auth/jwt.h"
#include "server/files/file_errors.h"
#include "server/files/file_routes_internal.h"
#include "server/files/multipart_upload.h"
#include "server/files/upload_paths.h"
#include "server/files/uploads.h"
#include "storage/json_input.h"
#include "storage/objects/content_store.h"

namespace ib::files::routes {
namespace {

std::optional<uint64_t> ContentLength(const httplib::Request& req) {
  auto text = http::Header(req, "Content-Length");
  if (!text) return std::nullopt;
  uint64_t n = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
  return n;
}

// Reads and drops the whole body (after an early refusal).
void Drain(const httplib::Request& req, const httplib::ContentReader& reader) {
  auto drop = [](const char*, size_t) { return true; };
  if (req.is_multipart_form_data()) {
    reader([](const httplib::MultipartFormData&) { return true; }, drop);
  } else {
    reader(drop);
  }
}

// x-metadata: base64 of a JSON object. Anything else is refused.
std::optional<std::string> HeaderMetadata(const httplib::Request& req) {
  auto raw = http::Header(req, "x-metadata");
  if (!raw || raw->empty()) return std::nullopt;
  std::string b64url;
  for (char c : *raw) {
    if (c == '=') break;
    b64url += c == '+' ? '-' : c == '/' ? '_' : c;
  }
  auto text = auth::Base64UrlDecode(b64url);
  storage::ClientJson parsed = storage::ParseClientJson(text.value_or(""));
  if (!parsed.ok() || !parsed.value.is_object()) {
    throw errors::InvalidRequest("x-metadata must be base64 JSON object");
  }
  return parsed.value.dump();
}

// Feeds the body to the writer; a storage error is kept (and the body still drained) so the
// request can be answered once the body is consumed.
class BodySink {
 public:
  explicit BodySink(storage::objects::ContentWriter& writer) : writer_(writer) {}
  void Write(const char* data, size_t n) {
    if (error_) return;
    try {
      writer_.Append(data, n);
    } catch (...) {
      error_ = std::current_exception();
    }
  }
  void RethrowIfFailed() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  storage::objects::ContentWriter& writer_;
  std::exception_ptr error_;
};

void Upload(const http::ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
            const httplib::ContentReader& reader, http::RequestContext& rc, bool put) {
  const bool multipart = req.is_multipart_form_data();
  const int64_t global_limit = ctx.config.storage_max_file_size;
  Caller caller;
  UploadTarget target;
  UploadLimits limits;
  UploadAttributes attributes;
  try {
    caller = Authenticate(req, ctx, rc);
    target = UploadTarget{Capture(req, 1), Capture(req, 2),
                          put || http::Header(req, "x-upsert").value_or("") == "true"};
    limits = PrepareUpload(ctx.db, caller.who, caller.clock, target, global_limit);
    if (!multipart) {
      attributes.mimetype = http::Header(req, "Content-Type").value_or("application/octet-stream");
      attributes.cache_control = http::Header(req, "Cache-Control").value_or("no-cache");
      attributes.user_metadata = HeaderMetadata(req);
      CheckMimeType(limits, attributes.mimetype);
      auto length = ContentLength(req);
      if (length && *length > static_cast<uint64_t>(limits.max_size)) {
        throw errors::EntityTooLarge();
      }
    }
  } catch (const storage::Error&) {
    Drain(req, reader);
    throw;
  }

  storage::objects::ContentWriter writer(ctx.db, caller.who, caller.clock, limits.max_size);
  BodySink sink(writer);
  bool read_ok = false;
  if (multipart) {
    MultipartUpload form([&](const char* data, size_t n) { sink.Write(data, n); }, attributes);
    read_ok = reader(
        [&](const httplib::MultipartFormData& part) {
          form.OnPart(part.name, part.filename, part.content_type);
          return true;
        },
        [&](const char* data, size_t n) {
          form.OnData(data, n);
          return true;
        });
    sink.RethrowIfFailed();
    // httplib sets 413 itself when the body exceeds the server's payload limit.
    if (writer.too_large() || res.status == 413) throw errors::EntityTooLarge();
    if (!read_ok) throw errors::InvalidRequest("malformed multipart body");
    form.Finish();
  } else {
    read_ok = reader([&](const char* data, size_t n) {
      sink.Write(data, n);
      return true;
    });
    sink.RethrowIfFailed();
    if (writer.too_large() || res.status == 413) throw errors::EntityTooLarge();
    if (!read_ok) throw errors::InvalidRequest("could not read the request body");
  }
  storage::objects::StagedContent content = writer.Finish();
  PublishedObject published =
      PublishUpload(ctx.db, caller.who, caller.clock, target, attributes, content, global_limit);
  writer.Keep();
  SendJson(res, {{"Id", published.id}, {"Key", published.key}});
}

}  // namespace

void RegisterUploadRoutes(httplib::Server& server, const http::ServerContext& ctx) {
  // Content-reader routes are tried before every plain POST/PUT route, so these patterns skip
  // the fixed words other object routes use.
  const std::string post = kUploadPostPath;
  const std::string put = kUploadPutPath;
  for (bool is_put : {false, true}) {
    auto handler = [&ctx, is_put](const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader& reader) {
      http::Wrap(http::Service::kStorage,
                 [&](const httplib::Request& r, httplib::Response& s, http::RequestContext& rc) {
                   Upload(ctx, r, s, reader, rc, is_put);
                 })(req, res);
    };
    if (is_put) {
      server.Put(put, handler);
    } else {
      server.Post(post, handler);
    }
  }
}

}  // namespace ib::files::routes
