// The fields of a Storage multipart upload as supabase-js sends them (cacheControl, metadata,
// contentType, then the file part), read part by part while httplib's multipart parser streams
// the body: text fields are collected (at most kMaxFieldBytes each) into UploadAttributes, the
// file's bytes go to a sink as they arrive. No HTTP types, no I/O; one instance per request.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/files/uploads.h"

namespace ib::files {

inline constexpr size_t kMaxFieldBytes = size_t{64} * 1024;

class MultipartUpload {
 public:
  using FileSink = std::function<void(const char* data, size_t n)>;

  MultipartUpload(FileSink sink, UploadAttributes& attributes)
      : sink_(std::move(sink)), attributes_(attributes) {}

  // A part begins. The first part with a file name (or an empty field name) is the object;
  // later file parts are ignored. Never fails: faults are reported by Finish().
  void OnPart(std::string_view name, std::string_view filename, std::string_view content_type);
  // Bytes of the current part.
  void OnData(const char* data, size_t n);
  // After the body: applies the last field; throws InvalidRequest for an oversized field,
  // metadata that is not a JSON object, or no file part.
  void Finish();

 private:
  enum class Current { kNone, kField, kFile, kIgnored };

  void FinishField();

  FileSink sink_;
  UploadAttributes& attributes_;
  Current current_ = Current::kNone;
  bool saw_file_ = false;
  bool oversized_field_ = false;
  bool bad_metadata_ = false;
  std::string field_name_;
  std::string field_value_;
  std::optional<std::string> content_type_field_;
};

}  // namespace ib::files
