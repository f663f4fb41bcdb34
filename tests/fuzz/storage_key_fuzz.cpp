// libFuzzer target: Storage object keys (server/files/objects.h, signed_urls.h,
// object_listing.h). The input is a key as a client may send it. IsValidObjectKey must agree with
// an independent reading of its rule (1-1024 bytes of strict UTF-8, no control characters, no
// leading, trailing or doubled '/'); a refused key is a 4xx; a valid key signs into a URL token
// that verifies for that key only; as a list() prefix it becomes a folder ("" or ending in '/').
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "server/files/object_listing.h"
#include "server/files/objects.h"
#include "server/files/signed_urls.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

constexpr std::string_view kSecret = "fuzz-secret-at-least-32-characters-long";
constexpr int64_t kNow = 1700000000;

// Decodes one code point at s[i] (RFC 3629: shortest form, no surrogates, at most U+10FFFF);
// returns its length, 0 when invalid.
size_t CodePointLength(std::string_view s, size_t i, uint32_t& cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80                ? 1
             : c >= 0xC0 && c < 0xE0 ? 2
             : c >= 0xE0 && c < 0xF0 ? 3
             : c >= 0xF0 && c < 0xF8 ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return 0;
  cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr uint32_t kShortest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kShortest[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool ReferenceValid(std::string_view key) {
  if (key.empty() || key.size() > 1024) return false;
  if (key.front() == '/' || key.back() == '/' || key.find("//") != std::string_view::npos) {
    return false;
  }
  for (size_t i = 0; i < key.size();) {
    uint32_t cp = 0;
    size_t n = CodePointLength(key, i, cp);
    if (n == 0 || cp < 0x20 || cp == 0x7F) return false;
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string key(ib::fuzz::AsText(data, size));
  const bool valid = ib::files::IsValidObjectKey(key);
  ib::fuzz::Check(valid == ReferenceValid(key), "key rule disagrees with the reference", key);
  try {
    ib::files::ValidateObjectKey(key);
    ib::fuzz::Check(valid, "ValidateObjectKey accepted an invalid key", key);
  } catch (const ib::storage::Error& e) {
    ib::fuzz::Check(!valid, "ValidateObjectKey refused a valid key", key);
    ib::fuzz::CheckClientError(e);
  }
  if (!valid) return 0;

  const std::string token = ib::files::SignObjectToken("bucket", key, 60, kSecret, kNow);
  (void)ib::files::SignedUrlPath("bucket", key, token);
  ib::files::VerifyObjectToken(token, "bucket", key, kSecret, kNow);  // must not throw
  try {
    ib::files::VerifyObjectToken(token, "bucket", key + "x", kSecret, kNow);
    ib::fuzz::Fail("a signed URL token verified for another key", key);
  } catch (const ib::storage::Error& e) {
    ib::fuzz::CheckClientError(e);
  }

  auto query = ib::files::ParseListOptions(nlohmann::json{{"prefix", key}});
  ib::fuzz::Check(query.folder == key + "/" || query.folder == key,
                  "list prefix is not the key as a folder", key);
  ib::fuzz::Check(query.folder.back() == '/', "list prefix does not end in '/'", key);
  return 0;
}
