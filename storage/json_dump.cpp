#include "storage/json_dump.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>

#include "storage/json_text.h"

namespace ib::storage {
namespace {

using nlohmann::json;

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF), which is what nlohmann's serializer checks before it copies a string as it is.
bool IsUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  while (p < end) {
    // ASCII runs, eight bytes at a time.
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      p += 8;
    }
    if (p == end) break;
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int more = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (end - p <= more) return false;
    if (p[1] < low || p[1] > high) return false;
    for (int i = 2; i <= more; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += more + 1;
  }
  return true;
}

void AppendString(std::string& out, const std::string& s) {
  if (IsUtf8(s)) {
    AppendJsonString(out, s);  // escapes exactly as nlohmann does (json_text.h)
  } else {
    out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

bool Append(std::string& out, const json& v, int depth_left) {
  switch (v.type()) {
    case json::value_t::object: {
      if (depth_left == 0) return false;
      out += '{';
      bool first = true;
      for (auto member = v.begin(); member != v.end(); ++member) {
        if (!first) out += ',';
        first = false;
        AppendString(out, member.key());
        out += ':';
        if (!Append(out, member.value(), depth_left - 1)) return false;
      }
      out += '}';
      return true;
    }
    case json::value_t::array: {
      if (depth_left == 0) return false;
      out += '[';
      bool first = true;
      for (const json& element : v) {
        if (!first) out += ',';
        first = false;
        if (!Append(out, element, depth_left - 1)) return false;
      }
      out += ']';
      return true;
    }
    case json::value_t::string:
      AppendString(out, v.get_ref<const std::string&>());
      return true;
    case json::value_t::number_integer:
      AppendInt(out, v.get<int64_t>());
      return true;
    case json::value_t::number_unsigned: {
      char digits[24];
      const auto r = std::to_chars(digits, digits + sizeof digits, v.get<uint64_t>());
      out.append(digits, r.ptr);
      return true;
    }
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return true;
    case json::value_t::null:
      out += "null";
      return true;
    default:
      // Floats (nlohmann's shortest round-trip form, "1.0" for integral values, "null" for
      // non-finite ones) and the rare rest (binary, discarded): nlohmann writes them.
      out += v.dump(-1, ' ', false, json::error_handler_t::replace);
      return true;
  }
}

}  // namespace

bool AppendCompactJson(std::string& out, const json& v, int max_depth) {
  return Append(out, v, max_depth < 0 ? 0 : max_depth);
}

}  // namespace ib::storage
