#include "server/http/body_limit.h"

#include <httplib.h>

#include <regex>
#include <string>

#include "server/files/upload_paths.h"

namespace ib::http {

bool IsObjectUpload(std::string_view method, std::string_view target) {
  const bool post = method == "POST";
  if (!post && method != "PUT") return false;
  // The router's own decoding (it also reads %uXXXX), so a path spelled differently cannot
  // reach the list route with an upload's limit.
  const std::string path =
      httplib::detail::decode_url(std::string(target.substr(0, target.find('?'))), false);
  if (path.rfind("/storage/v1/object/", 0) != 0) return false;
  static const std::regex kPost(files::kUploadPostPath);
  static const std::regex kPut(files::kUploadPutPath);
  return std::regex_match(path, post ? kPost : kPut);
}

uint64_t BodyLimitFor(std::string_view method, std::string_view target, uint64_t max_body_bytes,
                      uint64_t max_upload_bytes) {
  return IsObjectUpload(method, target) ? max_upload_bytes : max_body_bytes;
}

}  // namespace ib::http
