#include "storage/error_files.h"

#include <string>

namespace ib::storage {
namespace {

// Names and keys are echoed back in messages; keep hostile 20,000-character ones short.
std::string Clip(std::string_view text) {
  constexpr size_t kMax = 200;
  return text.size() <= kMax ? std::string(text) : std::string(text.substr(0, kMax)) + "...";
}

}  // namespace

Error Error::Files::NoSuchKey() { return Error(404, ErrorCode::kNoSuchKey, "Object not found"); }
Error Error::Files::NoSuchBucket() {
  return Error(404, ErrorCode::kNoSuchBucket, "Bucket not found");
}
Error Error::Files::BucketAlreadyExists() {
  return Error(409, ErrorCode::kBucketAlreadyExists, "The resource already exists");
}
Error Error::Files::KeyAlreadyExists() {
  return Error(409, ErrorCode::kKeyAlreadyExists, "The resource already exists");
}
Error Error::Files::ResourceNotEmpty() {
  return Error(409, ErrorCode::kResourceNotEmpty, "The bucket you tried to delete is not empty");
}
Error Error::Files::AccessDenied(std::string_view message) {
  return Error(403, ErrorCode::kAccessDenied, std::string(message));
}
Error Error::Files::RowLevelSecurity() {
  return AccessDenied("new row violates row-level security policy");
}
Error Error::Files::EntityTooLarge() {
  return Error(413, ErrorCode::kEntityTooLarge, "The object exceeded the maximum allowed size");
}
Error Error::Files::InvalidMimeType(std::string_view type) {
  return Error(415, ErrorCode::kInvalidMimeType, "mime type " + Clip(type) + " is not supported");
}
Error Error::Files::InvalidRequest(std::string_view message) {
  return Error(400, ErrorCode::kInvalidRequest, std::string(message));
}
Error Error::Files::MissingParameter(std::string_view message) {
  return Error(400, ErrorCode::kMissingParameter, std::string(message));
}
Error Error::Files::InvalidBucketName(std::string_view name) {
  return Error(400, ErrorCode::kInvalidBucketName, "Bucket name invalid: " + Clip(name));
}
Error Error::Files::InvalidKey(std::string_view key) {
  return Error(400, ErrorCode::kInvalidKey, "Invalid key: " + Clip(key));
}
Error Error::Files::InvalidJwt(std::string_view message) {
  return Error(400, ErrorCode::kInvalidJwt, std::string(message));
}
Error Error::Files::InvalidSignature() {
  return Error(400, ErrorCode::kInvalidSignature, "The url do not match the signature");
}
Error Error::Files::InvalidRange() {
  return Error(416, ErrorCode::kInvalidRange, "The requested range is not satisfiable");
}

}  // namespace ib::storage
