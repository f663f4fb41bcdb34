#include "storage/json_input.h"

#include <doctest/doctest.h>

#include <string>

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

}  // namespace
}  // namespace ib::storage
