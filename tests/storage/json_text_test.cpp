// AppendJsonString: the escaping of the hot read path (it skips 8 bytes at a time), checked
// byte for byte against nlohmann::json's own escaping of the same strings.
#include "storage/json_text.h"

#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace ib::storage {
namespace {

std::string Escaped(const std::string& s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST_CASE("json text: strings escape as the JSON library escapes them, at every position") {
  CHECK(Escaped("") == "\"\"");
  CHECK(Escaped("plain text, longer than eight bytes") ==
        "\"plain text, longer than eight bytes\"");
  CHECK(Escaped("tab\there \"quoted\" back\\slash") ==
        "\"tab\\there \\\"quoted\\\" back\\\\slash\"");
  CHECK(Escaped(std::string("nul\0x", 5)) == "\"nul\\u0000x\"");
  CHECK(Escaped("\x1f\x7f") == "\"\\u001f\x7f\"");
  CHECK(Escaped("h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac") ==
        "\"h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac\"");
  // Every byte that needs escaping, at every offset within and across 8-byte blocks, among
  // ordinary ASCII and UTF-8 sequences.
  const std::string ordinary[] = {"a", "Z", " ", "~", "/", "\xc3\xa9", "\xe2\x82\xac", "\x7f"};
  std::mt19937 rng(7);
  for (int round = 0; round < 4000; ++round) {
    std::string s;
    const int parts = static_cast<int>(rng() % 40);
    for (int p = 0; p < parts; ++p) {
      if (rng() % 6 == 0) {
        const unsigned special = rng() % 34;  // 0x00-0x1f, then '"' and '\\'
        s.push_back(static_cast<char>(special < 32 ? special : special == 32 ? '"' : '\\'));
      } else {
        s += ordinary[rng() % 8];
      }
    }
    INFO("round " << round);
    REQUIRE(Escaped(s) == nlohmann::json(s).dump());
  }
}

}  // namespace
}  // namespace ib::storage

namespace ib::storage {
namespace {

// AppendDecimal as it was before its fast path: to_chars of the exact binary value, and no
// negative zero.
std::string ReferenceDecimal(double v, int scale) {
  char buf[64];
  auto res = scale < 0 ? std::to_chars(buf, buf + sizeof buf, v)
                       : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, scale);
  std::string text(buf, res.ptr);
  if ((text == "-0" || text.rfind("-0.", 0) == 0) &&
      text.find_first_not_of("-0.") == std::string::npos) {
    text.erase(0, 1);
  }
  return text;
}

std::string Decimal(double v, int scale) {
  std::string out;
  AppendDecimal(out, v, scale);
  return out;
}

TEST_CASE("json text: decimals render as to_chars renders the exact value, at every scale") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> cents(-100'000'000, 100'000'000);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-12, 14);
  std::vector<double> values = {
      0.0,    -0.0, 0.125, -0.125, 0.375, 2.5,    -2.5, 0.5,  1.005, 1.015, 87.5,
      99.995, 1e-9, -1e-9, 0.0049, 0.005, 0.0051, 1e10, 1e11, -1e11, 1e12,  1099511627775.5};
  for (int i = 0; i < 20000; ++i) {
    values.push_back(static_cast<double>(cents(rng)) / 100.0);  // a numeric(p,2) as stored
    values.push_back(unit(rng) * std::pow(10.0, exponent(rng)));
  }
  for (double v : values) {
    for (int scale = 0; scale <= 10; ++scale) {
      CAPTURE(v);
      CAPTURE(scale);
      CHECK(Decimal(v, scale) == ReferenceDecimal(v, scale));
    }
  }
  CHECK(Decimal(87.5, 2) == "87.50");
  CHECK(Decimal(-0.001, 2) == "0.00");
  CHECK(Decimal(-12.345, 1) == "-12.3");
}

}  // namespace
}  // namespace ib::storage
