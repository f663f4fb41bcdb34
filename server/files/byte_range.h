// Byte ranges for downloads (RFC 9110, section 14): parses one `Range: bytes=a-b | a- | -n` header
// against the object's size. Only single ranges are honoured; a multi-range or malformed header
// is ignored (the whole object is sent), which RFC 9110 allows. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ib::files {

struct ByteRange {
  enum class Kind { kWhole, kPartial, kUnsatisfiable };
  Kind kind = Kind::kWhole;
  int64_t first = 0;  // inclusive, kPartial only
  int64_t last = 0;   // inclusive, kPartial only

  int64_t length() const { return last - first + 1; }
  std::string ToString() const;
};

// `header` is the raw Range header value (nullopt when absent); `size` the object's size.
ByteRange ParseByteRange(std::optional<std::string_view> header, int64_t size);

// "bytes 0-99/1000" for kPartial, "bytes */1000" for kUnsatisfiable.
std::string ContentRangeHeader(const ByteRange& range, int64_t size);

}  // namespace ib::files
