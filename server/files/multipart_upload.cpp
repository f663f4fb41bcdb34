#include "server/files/multipart_upload.h"

#include <nlohmann/json.hpp>

#include "server/files/file_errors.h"
#include "storage/json_input.h"

namespace ib::files {

void MultipartUpload::OnPart(std::string_view name, std::string_view filename,
                             std::string_view content_type) {
  FinishField();
  if (!filename.empty() || name.empty()) {
    current_ = saw_file_ ? Current::kIgnored : Current::kFile;
    if (!saw_file_ && !content_type.empty()) attributes_.mimetype = std::string(content_type);
    saw_file_ = true;
    return;
  }
  current_ = Current::kField;
  field_name_ = std::string(name);
  field_value_.clear();
}

void MultipartUpload::OnData(const char* data, size_t n) {
  if (current_ == Current::kFile) {
    sink_(data, n);
  } else if (current_ == Current::kField) {
    if (field_value_.size() + n > kMaxFieldBytes) {
      oversized_field_ = true;
    } else {
      field_value_.append(data, n);
    }
  }
}

void MultipartUpload::Finish() {
  FinishField();
  if (oversized_field_) throw errors::InvalidRequest("multipart field too large");
  if (bad_metadata_) throw errors::InvalidRequest("metadata must be a JSON object");
  if (!saw_file_) throw errors::InvalidRequest("No content provided");
  if (content_type_field_) attributes_.mimetype = *content_type_field_;
}

void MultipartUpload::FinishField() {
  if (current_ != Current::kField) {
    current_ = Current::kNone;
    return;
  }
  current_ = Current::kNone;
  if (field_name_ == "cacheControl") {
    attributes_.cache_control = "max-age=" + field_value_;
  } else if (field_name_ == "contentType") {
    content_type_field_ = field_value_;
  } else if (field_name_ == "metadata") {
    // Runs inside httplib's parser, which must not see an exception: the fault is remembered
    // and reported by Finish().
    storage::ClientJson parsed = storage::ParseClientJson(field_value_);
    if (!parsed.ok() || !parsed.value.is_object()) {
      bad_metadata_ = true;
    } else {
      attributes_.user_metadata = parsed.value.dump();
    }
  }
}

}  // namespace ib::files
