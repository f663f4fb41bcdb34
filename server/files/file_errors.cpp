#include "server/files/file_errors.h"

#include <string>

namespace ib::files::errors {
namespace {

// Messages and logical statuses as supabase/storage's ERRORS table words them.
storage::Error Make(int status, const char* code, std::string message) {
  return storage::Error(status, code, std::move(message));
}

// Names and keys are echoed back in messages; keep hostile 20,000-character ones short.
std::string Clip(std::string_view text) {
  constexpr size_t kMax = 200;
  return text.size() <= kMax ? std::string(text) : std::string(text.substr(0, kMax)) + "...";
}

}  // namespace

storage::Error NoSuchKey() { return Make(404, "NoSuchKey", "Object not found"); }
storage::Error NoSuchBucket() { return Make(404, "NoSuchBucket", "Bucket not found"); }
storage::Error BucketAlreadyExists() {
  return Make(409, "BucketAlreadyExists", "The resource already exists");
}
storage::Error KeyAlreadyExists() {
  return Make(409, "KeyAlreadyExists", "The resource already exists");
}
storage::Error ResourceNotEmpty() {
  return Make(409, "ResourceNotEmpty", "The bucket you tried to delete is not empty");
}
storage::Error AccessDenied(std::string_view message) {
  return Make(403, "AccessDenied", std::string(message));
}
storage::Error RowLevelSecurity() {
  return Make(403, "AccessDenied", "new row violates row-level security policy");
}
storage::Error EntityTooLarge() {
  return Make(413, "EntityTooLarge", "The object exceeded the maximum allowed size");
}
storage::Error InvalidMimeType(std::string_view type) {
  return Make(415, "InvalidMimeType", "mime type " + Clip(type) + " is not supported");
}
storage::Error InvalidRequest(std::string_view message) {
  return Make(400, "InvalidRequest", std::string(message));
}
storage::Error MissingParameter(std::string_view message) {
  return Make(400, "MissingParameter", std::string(message));
}
storage::Error InvalidBucketName(std::string_view name) {
  return Make(400, "InvalidBucketName", "Bucket name invalid: " + Clip(name));
}
storage::Error InvalidKey(std::string_view key) {
  return Make(400, "InvalidKey", "Invalid key: " + Clip(key));
}
storage::Error InvalidJwt(std::string_view message) {
  return Make(400, "InvalidJWT", std::string(message));
}
storage::Error InvalidSignature() {
  return Make(400, "InvalidSignature", "The url do not match the signature");
}
storage::Error InvalidRange() {
  return Make(416, "InvalidRange", "The requested range is not satisfiable");
}

}  // namespace ib::files::errors
