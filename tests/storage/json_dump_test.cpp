#include "storage/json_dump.h"

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "storage/json_input.h"

namespace ib::storage {
namespace {

using nlohmann::json;

std::string NlohmannDump(const json& v) {
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

void CheckDumpSameAsNlohmann(const json& v) {
  const std::string expected = NlohmannDump(v);
  CAPTURE(expected);
  std::string out = "prefix:";
  REQUIRE(AppendCompactJson(out, v, kMaxJsonDepth));
  CHECK(out == "prefix:" + expected);
}

// Whether every object in `v` (parsed keeping the text's member order) has its keys in jsonb's
// order: shorter first, equal lengths bytewise.
bool InJsonbOrder(const nlohmann::ordered_json& v) {
  if (v.is_array()) {
    for (const auto& element : v) {
      if (!InJsonbOrder(element)) return false;
    }
    return true;
  }
  if (!v.is_object()) return true;
  std::string previous;
  bool first = true;
  for (auto member = v.begin(); member != v.end(); ++member) {
    const std::string& key = member.key();
    if (!first &&
        (previous.size() > key.size() || (previous.size() == key.size() && previous > key))) {
      return false;
    }
    if (!InJsonbOrder(member.value())) return false;
    previous = key;
    first = false;
  }
  return true;
}

// The jsonb-ordered text of `v`: the same members as nlohmann's text, in jsonb's order.
void CheckJsonbOrder(const json& v) {
  const std::string tree_order = NlohmannDump(v);
  std::string out;
  REQUIRE(AppendCompactJson(out, v, kMaxJsonDepth, KeyOrder::kJsonb));
  CAPTURE(out);
  CHECK(out.size() == tree_order.size());
  CHECK(json::parse(out) == json::parse(tree_order));
  // A key of invalid UTF-8 is ordered by its own length, then written with U+FFFD in place of
  // its bad bytes (client JSON never holds one: the parsers refuse it).
  if (tree_order.find("\xef\xbf\xbd") == std::string::npos) {
    CHECK(InJsonbOrder(nlohmann::ordered_json::parse(out)));
  }
}

json NestedArrays(int depth) {
  json v = json::array();
  for (int i = 1; i < depth; ++i) v = json::array({std::move(v)});
  return v;
}

TEST_CASE("json dump: scalars, numbers and containers as nlohmann writes them") {
  for (const json& v : std::vector<json>{
           nullptr,
           true,
           false,
           0,
           -0,
           1,
           -1,
           std::numeric_limits<int64_t>::min(),
           std::numeric_limits<int64_t>::max(),
           std::numeric_limits<uint64_t>::max(),
           0u,
           0.0,
           -0.0,
           1.0,
           1.5,
           0.1,
           1e100,
           1e-7,
           123456789012345680.0,
           5e-324,
           std::numeric_limits<double>::max(),
           std::nan(""),
           HUGE_VAL,
           -HUGE_VAL,
           "",
           json::array(),
           json::object(),
           json::array({1, "a", nullptr, json::object()}),
           json{{"z", 1}, {"a", json{{"y", json::array()}, {"b", false}}}, {"", "empty key"}}}) {
    CheckDumpSameAsNlohmann(v);
  }
}

TEST_CASE("json dump: strings escaped as nlohmann escapes them") {
  std::string every_byte;
  for (int c = 1; c < 0x80; ++c) every_byte += static_cast<char>(c);
  for (const std::string& s : std::vector<std::string>{
           every_byte, std::string("nul\0inside", 10), "\"quoted\" \\ back", "\x7f del",
           "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "long ascii run without escapes 0123456789",
           "tab\tin the middle of eight", "\x1f\x01\x08\x0c"}) {
    CheckDumpSameAsNlohmann(s);
    CheckDumpSameAsNlohmann(json{{s, s}});
  }
}

TEST_CASE("json dump: invalid UTF-8 is replaced by U+FFFD, as nlohmann's replace handler does") {
  for (const std::string& s : std::vector<std::string>{
           "\xff", "a\xc3", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xed\x9f\xbf",
           "\xef\xbf\xbf", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xf5\x80",
           "\x80 continuation first", "ok then \xe2\x82 cut", "\xc3\xa9\xc3", "12345678\xc3"}) {
    CAPTURE(s);
    CheckDumpSameAsNlohmann(s);
    CheckDumpSameAsNlohmann(json{{s, json::array({s})}});
  }
}

TEST_CASE("json dump: nesting up to the bound is written, deeper is refused") {
  CheckDumpSameAsNlohmann(NestedArrays(kMaxJsonDepth));
  std::string out;
  CHECK_FALSE(AppendCompactJson(out, NestedArrays(kMaxJsonDepth + 1), kMaxJsonDepth));
  CHECK(AppendCompactJson(out, NestedArrays(3), 3));
  CHECK_FALSE(AppendCompactJson(out, json{{"a", NestedArrays(3)}}, 3));
}

// Random trees of every kind, strings drawn from bytes valid and invalid as UTF-8.
TEST_CASE(
    "json dump: jsonb's order puts shorter keys first, equal lengths bytewise, at every level") {
  const json v =
      json::parse(R"({"b":1,"aa":2,"a":3,"ccc":{"zz":1,"y":2},"\u00e9":[{"bb":0,"c":1}],"":null})");
  std::string out;
  REQUIRE(AppendCompactJson(out, v, kMaxJsonDepth, KeyOrder::kJsonb));
  CHECK(out == R"({"":null,"a":3,"b":1,"aa":2,"é":[{"c":1,"bb":0}],"ccc":{"y":2,"zz":1}})");
  out.clear();
  REQUIRE(AppendCompactJson(out, v, kMaxJsonDepth));  // the tree's order, as nlohmann's
  CHECK(out == R"({"":null,"a":3,"aa":2,"b":1,"ccc":{"y":2,"zz":1},"é":[{"bb":0,"c":1}]})");
  out.clear();
  CHECK_FALSE(AppendCompactJson(out, json{{"bb", NestedArrays(3)}, {"a", 1}}, 3, KeyOrder::kJsonb));
}

TEST_CASE("json dump: agrees with nlohmann on 3,000 random trees, and orders them as jsonb does") {
  std::mt19937 random(7);
  const std::string pieces[] = {
      "a",    "\"",       "\\",       "\n",   "\x01", "\xc3\xa9", "\xf0\x9f\x98\x80",
      "\xff", "\xe2\x82", "12345678", "\x7f", " "};
  const auto text = [&] {
    std::string s;
    const int n = static_cast<int>(random() % 6);
    for (int i = 0; i < n; ++i) s += pieces[random() % std::size(pieces)];
    return s;
  };
  std::function<json(int)> tree = [&](int depth) -> json {
    switch (depth > 4 ? random() % 5 : random() % 7) {
      case 0:
        return nullptr;
      case 1:
        return static_cast<int64_t>(random()) - static_cast<int64_t>(random());
      case 2:
        return static_cast<double>(random()) / (1 + random() % 1000);
      case 3:
        return text();
      case 4:
        return random() % 2 == 0;
      case 5: {
        json a = json::array();
        for (int i = static_cast<int>(random() % 4); i > 0; --i) a.push_back(tree(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (int i = static_cast<int>(random() % 4); i > 0; --i) o[text()] = tree(depth + 1);
        return o;
      }
    }
  };
  for (int i = 0; i < 3000; ++i) {
    const json v = tree(0);
    CheckDumpSameAsNlohmann(v);
    CheckJsonbOrder(v);
  }
}

}  // namespace
}  // namespace ib::storage
