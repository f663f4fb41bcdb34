// libFuzzer target: the download `Range: bytes=` parser (server/files/byte_range.h). The first
// 8 bytes are the object's size (kept non-negative), the rest the header value. Whatever the
// header, a partial range lies inside the object and Content-Range renders without overflow.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "server/files/byte_range.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < sizeof(uint64_t)) return 0;
  uint64_t raw = 0;
  std::memcpy(&raw, data, sizeof raw);
  // Mostly small objects (where ranges clamp), sometimes up to INT64_MAX.
  const auto object_size = static_cast<int64_t>((raw & 1) ? raw >> 1 : (raw >> 1) % 4096);
  std::string_view header = ib::fuzz::AsText(data + 8, size - 8);
  ib::files::ByteRange range = ib::files::ParseByteRange(header, object_size);
  (void)range.ToString();
  (void)ib::files::ContentRangeHeader(range, object_size);
  if (range.kind == ib::files::ByteRange::Kind::kPartial) {
    ib::fuzz::Check(range.first >= 0 && range.first <= range.last && range.last < object_size,
                    "partial range outside the object", header);
    ib::fuzz::Check(range.length() >= 1 && range.length() <= object_size,
                    "partial range length outside the object", header);
  }
  return 0;
}
