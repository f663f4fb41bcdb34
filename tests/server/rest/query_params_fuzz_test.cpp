// query_params: robustness. 100,000 seeded random inputs (mutated valid query strings and random
// bytes) must each parse or throw storage::Error PGRST100, never anything else; plus the hostile
// shapes the parser must take in linear time without deep recursion.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "server/rest/query_params.h"
#include "storage/error.h"

namespace ib::rest {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

const Params kSeeds = {
    {"select", "id,title:name,data->a->>b::text,author:users!author_id!inner(name,org(*))"},
    {"select", "*,...profile(full name,\"my col\"),comments!left(count),items->0"},
    {"id", "eq.1"},
    {"author.name", "not.in.(1,\"a,b\",x y)"},
    {"data->>a", "like(any).{a%,\"b,c\"}"},
    {"tags", "cs.{a,b}"},
    {"body", "wfts(english).cat & dog"},
    {"deleted", "is.null"},
    {"or", "(a.eq.1,and(c.eq.3,not.or(d.eq.4,e.is.null)),comments.id.eq.1)"},
    {"comments.not.and", "(a.eq.\"x,y\",b.cs.{1,2},c.in.(1,2))"},
    {"order", "a.asc,b.desc.nullsfirst,c.nullslast,data->x.desc,author(name).desc"},
    {"comments.order", "created_at.desc"},
    {"limit", "10"},
    {"comments.offset", "5"},
    {"columns", " a , \"b c\" "},
    {"on_conflict", "id"},
};

// Characters that matter to the grammar, so mutations hit interesting paths often.
const std::string kAlphabet = ".,()\"\\{}:!->*_ $[]aeinotqslr019";

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  char RandomChar() {
    if (Below(4) == 0) return static_cast<char>(Below(256));  // any byte, NUL and UTF-8 included
    return kAlphabet[Below(kAlphabet.size())];
  }

  void Mutate(std::string& s) {
    const size_t at = Below(s.size() + 1);
    switch (Below(5)) {
      case 0:
        s.insert(s.begin() + at, RandomChar());
        break;
      case 1:
        if (at < s.size()) s.erase(at, 1 + Below(4));
        break;
      case 2:
        if (at < s.size()) s[at] = RandomChar();
        break;
      case 3:
        s.insert(at, s.substr(Below(s.size() + 1), Below(12)));
        break;  // duplicate a slice
      default:
        s.resize(at);
        break;  // truncate
    }
  }

  std::string RandomBytes(size_t max_len) {
    std::string s(Below(max_len + 1), '\0');
    for (char& c : s) c = RandomChar();
    return s;
  }

  Params Next() {
    Params params;
    const size_t n = 1 + Below(3);
    for (size_t i = 0; i < n; ++i) {
      auto [key, value] = kSeeds[Below(kSeeds.size())];
      if (Below(5) == 0) {
        value = RandomBytes(40);
      } else {
        for (size_t m = 1 + Below(3); m > 0; --m) Mutate(Below(6) == 0 ? key : value);
      }
      params.emplace_back(std::move(key), std::move(value));
    }
    return params;
  }

 private:
  std::mt19937 rng_;
};

// Parses or refuses with PGRST100; anything else fails the test. Returns true when parsed.
bool ParsesOrRefuses(const Params& params) {
  const auto is_rpc_arg = [](std::string_view key) { return key == "id"; };
  try {
    const ApiRequest req = ParseQueryParams(params, is_rpc_arg);
    (void)req.ToString();
    return true;
  } catch (const storage::Error& e) {
    if (e.code() != "PGRST100" || e.status() != 400) FAIL("unexpected error " << e.ToJson());
    return false;
  } catch (...) {
    FAIL("non-Error exception");
  }
  return false;
}

TEST_CASE("query_params: 100,000 random inputs parse or raise PGRST100") {
  Mutator mutator(20240601);
  size_t parsed = 0;
  for (int i = 0; i < 100000; ++i) {
    if (ParsesOrRefuses(mutator.Next())) ++parsed;
  }
  // Both outcomes must be well represented, or the generator is not exercising the parser.
  CHECK(parsed > 10000);
  CHECK(parsed < 90000);
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST_CASE("query_params: hostile nesting is bounded") {
  const std::string select50 = Repeat("a(", 50) + "b" + Repeat(")", 50);
  CHECK(ParseSelect(select50).at(0).children.at(0).kind == SelectItem::Kind::kEmbed);
  CHECK_NOTHROW(ParseSelect(Repeat("a(", 64) + Repeat(")", 64)));
  CHECK_THROWS_AS(ParseSelect(Repeat("a(", 65) + Repeat(")", 65)), storage::Error);
  CHECK_THROWS_AS(ParseSelect(Repeat("a(", 200000)), storage::Error);  // no stack overflow

  const std::string logic50 = "(" + Repeat("and(", 49) + "a.eq.1" + Repeat(")", 50);
  CHECK(ParseQueryParams({{"or", logic50}}).logic.size() == 1);
  CHECK_THROWS_AS(ParseQueryParams({{"or", "(" + Repeat("or(", 200000)}}), storage::Error);
  CHECK_THROWS_AS(ParseQueryParams({{"or", "(" + Repeat("not.and(", 100000)}}), storage::Error);
}

TEST_CASE("query_params: hostile sizes parse in linear time") {
  std::string big_or = "(";
  for (int i = 0; i < 2000; ++i) {
    big_or += (i ? ",c" : "c") + std::to_string(i) + ".eq." + std::to_string(i);
  }
  CHECK(ParseLogicTree(big_or + ")", false, false).children.size() == 2000);

  std::string big_in = "in.(";
  for (int i = 0; i < 10000; ++i) big_in += (i ? "," : "") + std::to_string(i);
  CHECK(ParseOperation(big_in + ")", false).items.size() == 10000);
  CHECK(ParseLogicTree("(a." + big_in + "))", false, false).children.size() == 1);

  const std::string long_key(20000, 'k');
  CHECK(ParseQueryParams({{long_key, "eq.1"}}).filters.at(0).second.field.name == long_key);
  const ApiRequest deep_key = ParseQueryParams({{Repeat("e.", 10000) + "c", "eq.1"}});
  CHECK(deep_key.filters.at(0).first.size() == 10000);
  CHECK_THROWS_AS(ParseQueryParams({{std::string(20000, '!'), "eq.1"}}), storage::Error);
  CHECK(ParseQueryParams({{Repeat("a.", 10000) + "order", "x"}}).order.begin()->first.size() ==
        10000);

  // Shapes that would go quadratic with backtracking or unbounded look-ahead: every value
  // opens a quote or a brace that the rest of the input never closes.
  for (const std::string& term : {std::string("a.eq.\"x,"), std::string("a.cs.{,"),
                                  std::string("a.in.(\"x,"), std::string("a.eq.{{,")}) {
    CHECK_THROWS_AS(ParseLogicTree("(" + Repeat(term, 20000), false, false), storage::Error);
  }
  CHECK(ParseSelect(Repeat("a,", 20000) + "a").size() == 20001);
  CHECK(ParseOrder(Repeat("a.desc,", 20000) + "a").size() == 20001);
  CHECK(ParseOperation("eq." + std::string(1 << 20, '"'), false).value.size() == 1 << 20);
}

}  // namespace
}  // namespace ib::rest
