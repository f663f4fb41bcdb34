#include "storage/json_dump.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

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

bool Append(std::string& out, const json& v, int depth_left, KeyOrder order);

bool AppendMember(std::string& out, const std::string& key, const json& value, int depth_left,
                  KeyOrder order) {
  AppendString(out, key);
  out += ':';
  return Append(out, value, depth_left, order);
}

// Whether an object's members, which the tree holds bytewise, are already in jsonb's order
// (lengths never fall): most objects are.
bool InJsonbOrder(const json::object_t& members) {
  size_t previous_length = 0;
  for (const auto& member : members) {
    if (member.first.size() < previous_length) return false;
    previous_length = member.first.size();
  }
  return true;
}

// The members shorter keys first: the tree holds them bytewise, so a stable sort by length
// alone gives jsonb's order (length, then bytes).
bool AppendMembersByLength(std::string& out, const json::object_t& members, int depth_left) {
  std::vector<const json::object_t::value_type*> sorted;
  sorted.reserve(members.size());
  for (const auto& member : members) sorted.push_back(&member);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* a, const auto* b) { return a->first.size() < b->first.size(); });
  bool first = true;
  for (const auto* member : sorted) {
    if (!first) out += ',';
    first = false;
    if (!AppendMember(out, member->first, member->second, depth_left, KeyOrder::kJsonb)) {
      return false;
    }
  }
  return true;
}

bool Append(std::string& out, const json& v, int depth_left, KeyOrder order) {
  switch (v.type()) {
    case json::value_t::object: {
      if (depth_left == 0) return false;
      out += '{';
      const json::object_t& members = v.get_ref<const json::object_t&>();
      if (order == KeyOrder::kJsonb && !InJsonbOrder(members)) {
        if (!AppendMembersByLength(out, members, depth_left - 1)) return false;
      } else {
        bool first = true;
        for (const auto& [key, value] : members) {
          if (!first) out += ',';
          first = false;
          if (!AppendMember(out, key, value, depth_left - 1, order)) return false;
        }
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
        if (!Append(out, element, depth_left - 1, order)) return false;
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

bool AppendCompactJson(std::string& out, const json& v, int max_depth, KeyOrder order) {
  return Append(out, v, max_depth < 0 ? 0 : max_depth, order);
}

}  // namespace ib::storage
