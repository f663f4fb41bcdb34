// libFuzzer target: Storage multipart uploads, as the upload route reads them: cpp-httplib's
// streaming multipart/form-data parser feeding MultipartUpload (server/files/multipart_upload.h)
// part by part. Input: byte 0 is the read size (how the body arrives in pieces), then the
// Content-Type parameters up to the first '\n' (`boundary=...`), then the body. The upload is
// read to the end and either yields a file and attributes or a 4xx; nothing else escapes, and
// at most kMaxFieldBytes of any text field is kept.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/files/multipart_upload.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/memory_stream.h"

namespace {

ib::fuzz::MemoryServer& Server() {
  static ib::fuzz::MemoryServer server;
  static const bool configured = [] {
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response&, std::exception_ptr) {
          ib::fuzz::Fail("an exception other than storage::Error escaped the upload");
        });
    server.Post("/upload", [](const httplib::Request& req, httplib::Response& res,
                              const httplib::ContentReader& reader) {
      ib::files::UploadAttributes attributes;
      size_t file_bytes = 0;
      ib::files::MultipartUpload form([&](const char*, size_t n) { file_bytes += n; }, attributes);
      if (!req.is_multipart_form_data()) return;
      bool ok = reader(
          [&](const httplib::MultipartFormData& part) {
            form.OnPart(part.name, part.filename, part.content_type);
            return true;
          },
          [&](const char* data, size_t n) {
            form.OnData(data, n);
            return true;
          });
      try {
        if (!ok) return;
        form.Finish();
        ib::fuzz::Check(attributes.cache_control.size() <= ib::files::kMaxFieldBytes + 8,
                        "cacheControl kept beyond the field limit");
        res.status = 200;
      } catch (const ib::storage::Error& e) {
        ib::fuzz::CheckClientError(e);
        res.status = e.status();
      }
    });
    return true;
  }();
  (void)configured;
  return server;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest = ib::fuzz::AsText(data + 1, size - 1);
  const size_t newline = rest.find('\n');
  if (newline == std::string_view::npos) return 0;
  std::string_view params = rest.substr(0, newline);
  std::string_view body = rest.substr(newline + 1);
  std::string request =
      "POST /upload HTTP/1.1\r\nHost: fuzz\r\nContent-Type: multipart/form-data; ";
  request.append(params);
  request += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  request.append(body);
  (void)Server().Serve(request, data[0], 1);
  return 0;
}
