#include "storage/json_input.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "storage/json_quick_parse.h"
#include "tests/support/identical_json.h"

namespace ib::storage {
namespace {

std::string Nested(int depth, const std::string& open = "[", const std::string& close = "]") {
  std::string out;
  for (int i = 0; i < depth; ++i) out += open;
  for (int i = 0; i < depth; ++i) out += close;
  return out;
}

TEST_CASE("json input: nesting up to the bound parses, deeper is refused without a tree") {
  CHECK(ParseClientJson(Nested(kMaxJsonDepth)).ok());
  CHECK(ParseClientJson(Nested(kMaxJsonDepth + 1)).outcome == ClientJson::Outcome::kTooDeep);
  // 200,000 deep: refused by the pre-scan (a tree this deep would crash on copy or dump).
  ClientJson deep = ParseClientJson(R"({"data":)" + Nested(200'000, R"({"a":)", "}") + "}");
  CHECK(deep.outcome == ClientJson::Outcome::kTooDeep);
  CHECK(deep.error == "The input is nested more than 512 levels deep.");
}

TEST_CASE("json input: brackets inside strings do not count, and stray closers buy no depth") {
  const std::string brackets(10'000, '[');
  ClientJson in_string = ParseClientJson(R"({"s":")" + brackets + R"(\"]"})");
  REQUIRE(in_string.ok());
  CHECK(in_string.value["s"].get<std::string>().size() == brackets.size() + 2);
  CHECK(NestsDeeperThan(std::string(1000, ']') + Nested(600), 512));
  CHECK_FALSE(NestsDeeperThan(R"(["\\", [[]]])", 3));
  CHECK(NestsDeeperThan(R"(["\\", [[[]]]])", 3));
}

TEST_CASE("json input: invalid JSON is refused with the parser's reason") {
  ClientJson bad = ParseClientJson("{\"a\":");
  CHECK(bad.outcome == ClientJson::Outcome::kInvalid);
  CHECK_FALSE(bad.error.empty());
  CHECK(ParseClientJson("").outcome == ClientJson::Outcome::kInvalid);
}

// ParseClientJson (the quick parse, nlohmann when it declines) and nlohmann alone agree: outcome,
// message and the identical tree, value types included.
void CheckSameAsNlohmann(const std::string& text) {
  CAPTURE(text);
  const ClientJson quick = ParseClientJson(text);
  const ClientJson reference = ParseClientJsonWithNlohmann(text);
  CHECK(quick.outcome == reference.outcome);
  CHECK(quick.error == reference.error);
  CHECK(ib::test::IdenticalJson(quick.value, reference.value));
}

// Texts where two JSON parsers could part ways: number types and ranges, duplicate keys,
// escapes and surrogates, UTF-8 validity, a byte-order mark, trailing bytes, whitespace.
const std::vector<std::string>& EdgeTexts() {
  static const std::vector<std::string> texts = {"0",
                                                 "-0",
                                                 "-0.0",
                                                 "0.0",
                                                 "1",
                                                 "-1",
                                                 "1.5",
                                                 "1e2",
                                                 "1E+2",
                                                 "1e-2",
                                                 "-1.25e-3",
                                                 "9223372036854775807",
                                                 "9223372036854775808",
                                                 "-9223372036854775808",
                                                 "-9223372036854775809",
                                                 "18446744073709551615",
                                                 "18446744073709551616",
                                                 "123456789012345678901234567890",
                                                 "0.1",
                                                 "0.30000000000000004",
                                                 "2.2250738585072014e-308",
                                                 "4.9e-324",
                                                 "5e-324",
                                                 "2e-324",
                                                 "1e-400",
                                                 "1.7976931348623157e308",
                                                 "1.7976931348623159e308",
                                                 "1e309",
                                                 "1e400",
                                                 "-1e400",
                                                 "1e99999999999",
                                                 std::string(400, '9'),
                                                 "0." + std::string(400, '0') + "1",
                                                 "00",
                                                 "01",
                                                 "-01",
                                                 "1.",
                                                 ".5",
                                                 "+1",
                                                 "-",
                                                 "1e",
                                                 "1e+",
                                                 "0x10",
                                                 "NaN",
                                                 "Infinity",
                                                 "true",
                                                 "false",
                                                 "null",
                                                 "tru",
                                                 "nul",
                                                 "[]",
                                                 "{}",
                                                 "[1,]",
                                                 "{\"a\":1,}",
                                                 "[1 2]",
                                                 R"({"a":1,"a":2})",
                                                 R"({"a":{"b":1},"a":[2]})",
                                                 R"({"":0,"a":[],"b":{}})",
                                                 R"({"z":1,"a":2,"m":{"y":null,"b":false}})",
                                                 R"(["\u0000","\u00e9","\ud83d\ude00"])",
                                                 R"("\ud800")",
                                                 R"("\udc00")",
                                                 R"("\ud800\u0041")",
                                                 R"("\ud83d\ude00\ude00")",
                                                 R"("\/\b\f\n\r\t\"\\")",
                                                 R"("\x41")",
                                                 R"("\u12")",
                                                 "\"\xc3\xa9\"",
                                                 "\"\xc0\x80\"",
                                                 "\"\xed\xa0\x80\"",
                                                 "\"\xf4\x90\x80\x80\"",
                                                 "\"\xf0\x9f\x98\x80\"",
                                                 "\"\xe2\x82\"",
                                                 "\"\xff\"",
                                                 "\"\x7f\"",
                                                 std::string("\"a\0b\"", 5),
                                                 "\"tab\there\"",
                                                 "\xef\xbb\xbf[1]",
                                                 "\xef\xbb[1]",
                                                 "\xef\xbb\xbf",
                                                 " \t\r\n[1] \n",
                                                 "[1]x",
                                                 "[1] [2]",
                                                 "",
                                                 " ",
                                                 "{",
                                                 "[",
                                                 "\"",
                                                 "{\"a\"}",
                                                 "{\"a\" 1}",
                                                 "{1:2}",
                                                 "[1]\f",
                                                 "\v[1]",
                                                 std::string("[1]\0", 4),
                                                 "/* c */ 1",
                                                 "1 // c"};
  return texts;
}

TEST_CASE("json input: the quick parse gives nlohmann's tree, outcome and message") {
  for (const std::string& text : EdgeTexts()) CheckSameAsNlohmann(text);
  CheckSameAsNlohmann(Nested(kMaxJsonDepth));
  CheckSameAsNlohmann(Nested(kMaxJsonDepth + 1));
  CheckSameAsNlohmann(Nested(kMaxJsonDepth, R"({"a":)", "}"));
  CheckSameAsNlohmann(Nested(kMaxJsonDepth + 1, R"({"a":)", "}"));
  CheckSameAsNlohmann("[" + Nested(kMaxJsonDepth) + "x");
}

TEST_CASE("json input: the quick parse keeps nlohmann's number types") {
  const std::optional<nlohmann::json> tree =
      QuickParseJson(R"([0, -0, 5, -5, 1.0, 18446744073709551615, 18446744073709551616])", 4);
  REQUIRE(tree.has_value());
  CHECK((*tree)[0].is_number_unsigned());
  CHECK(((*tree)[1].is_number_integer() && !(*tree)[1].is_number_unsigned()));
  CHECK((*tree)[2].is_number_unsigned());
  CHECK(((*tree)[3].is_number_integer() && !(*tree)[3].is_number_unsigned()));
  CHECK((*tree)[4].is_number_float());
  CHECK((*tree)[5].get<uint64_t>() == UINT64_MAX);
  CHECK((*tree)[6].is_number_float());
  // What nlohmann refuses (an overflow) or rounds through strtod (an underflow) is left to it.
  CHECK_FALSE(QuickParseJson("1e400", 4).has_value());
  CHECK_FALSE(QuickParseJson("1e-400", 4).has_value());
  CHECK(ParseClientJson("1e-400").value.get<double>() == 0.0);
  CHECK(ParseClientJson("1e400").outcome == ClientJson::Outcome::kInvalid);
}

TEST_CASE("json input: the quick parse declines past its depth, and nlohmann's bound answers") {
  CHECK(QuickParseJson(Nested(3), 3).has_value());
  CHECK_FALSE(QuickParseJson(Nested(4), 3).has_value());
  CHECK(ParseClientJson(Nested(kMaxJsonDepth + 1)).error ==
        "The input is nested more than 512 levels deep.");
}

// Texts mutated at random from a full row (bytes replaced, inserted, deleted, slices doubled):
// mostly invalid, some valid in unusual ways; both parsers must agree on every one.
TEST_CASE("json input: the quick parse agrees with nlohmann on 20,000 mutated rows") {
  const std::string row =
      R"({"user_id":"a1becb29-1bd6-4eac-9c7d-e476f19e7a25","title":"Bench \u00e9 \ud83d\ude00",)"
      R"("metadata":{"company":"Acme","settings":{"timer":{"enabled":true,"seconds":1800}},)"
      R"("tags":["bench","insert"]},"scores":[-0,0.5,1e2,-12,18446744073709551615,null,false]})";
  const std::string alphabet = "{}[]:,\"\\-+.eE0123456789tfnul \t\n\x7f\xc3\xa9\xed\xa0\xff";
  std::mt19937 random(20261207);
  for (int i = 0; i < 20000; ++i) {
    std::string text = row;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = random() % text.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 4) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        case 2:
          text.erase(at, 1 + random() % 3);
          break;
        default:
          text.insert(at, text.substr(at, random() % 12));
          break;
      }
    }
    CheckSameAsNlohmann(text);
  }
}

}  // namespace
}  // namespace ib::storage
