#include "storage/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace ib::storage {

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + run_start, s.size() - run_start);
  out.push_back('"');
}

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void AppendDecimal(std::string& out, double v, int scale) {
  if (!std::isfinite(v)) {  // JSON has no NaN/Infinity; Postgres numeric renders NaN as a string
    out += "null";
    return;
  }
  char buf[64];
  std::to_chars_result res{};
  if (scale < 0) {
    res = std::to_chars(buf, buf + sizeof buf, v);
  } else {
    res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, scale);
  }
  if (res.ec != std::errc()) {
    int n = std::snprintf(buf, sizeof buf, "%.17g", v);
    out.append(buf, static_cast<size_t>(n));
    return;
  }
  std::string_view text(buf, static_cast<size_t>(res.ptr - buf));
  if (text == "-0" || text.rfind("-0.", 0) == 0) {
    // Postgres never renders a negative zero: -0.00 is 0.00.
    bool all_zero = text.find_first_not_of("-0.") == std::string_view::npos;
    if (all_zero) text.remove_prefix(1);
  }
  out.append(text);
}

}  // namespace ib::storage
