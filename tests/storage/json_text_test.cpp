// AppendJsonString: the escaping of the hot read path (it skips 8 bytes at a time), checked
// byte for byte against nlohmann::json's own escaping of the same strings.
#include "storage/json_text.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

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
