// query_params: select=, filters, keys, order, limit/offset, columns. Tables of query string ->
// ApiRequest::ToString(), and refusals -> PGRST100. Logic trees are in logic_parser_test.cpp.
#include "server/rest/query_params.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storage/error.h"

namespace ib::rest {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::string Parsed(const Params& params) { return ParseQueryParams(params).ToString(); }

// "PGRST100 <message> | <details>" for a refused input, "ok" otherwise.
template <typename Fn>
std::string Refusal(Fn&& fn) {
  try {
    fn();
  } catch (const storage::Error& e) {
    return e.code() + " " + e.message() + " | " + e.details().value_or("");
  }
  return "ok";
}

template <typename Fn>
void CheckPgrst100(Fn&& fn, const std::string& input) {
  INFO("input: " << input);
  try {
    fn();
    FAIL("accepted");
  } catch (const storage::Error& e) {
    CHECK(e.code() == "PGRST100");
    CHECK(e.status() == 400);
    CHECK(e.message().rfind("\"failed to parse ", 0) == 0);
  }
}

struct ParamCase {
  std::string input;
  std::string expected;
};

TEST_CASE("query_params: select grammar") {
  const std::vector<ParamCase> cases = {
      {"*", "*"},
      {"id,name", "id,name"},
      {" id , name ", "id,name"},
      {"\"my col\"", "\"my col\""},
      {"\"a\\\"b\\\\c\"", "\"a\\\"b\\\\c\""},
      {"\"a,b(c)\"", "\"a,b(c)\""},
      {"full name", "\"full name\""},  // PostgREST identifiers may hold spaces
      {"created-at,$x,_y,1a", "\"created-at\",$x,_y,1a"},
      {"title:name", "title:name"},
      {"price::text", "price::text"},
      {"n:price::text", "n:price::text"},
      {"data->a", "data->a"},
      {"data->>b", "data->>b"},
      {"data->items->0", "data->items->0"},
      {"data->items->-1", "data->items->-1"},
      {"data->\"0\"", "data->\"0\""},
      {"data->!@#$%^&*_a", "data->\"!@#$%^&*_a\""},
      {"x:data->a->>b::int", "x:data->a->>b::int"},
      {"author(name,email)", "author(name,email)"},
      {"writer:users(name)", "writer:users(name)"},
      {"comments!inner(*)", "comments!inner(*)"},
      {"comments!left(*)", "comments!left(*)"},
      {"users!posts_author_id_fkey(*)", "users!posts_author_id_fkey(*)"},
      {"users!author_id!inner(*)", "users!author_id!inner(*)"},
      {"users!inner!author_id(*)", "users!author_id!inner(*)"},
      {"w:users!author_id!left(id)", "w:users!author_id!left(id)"},
      {"...author(name)", "...author(name)"},
      {"...author!inner(name)", "...author!inner(name)"},
      {"author(name, org(name, country(code)))", "author(name,org(name,country(code)))"},
      {"comments(count)", "comments(count)"},
      {"id,author!inner()", "id,author!inner()"},
      {"rel( )", "rel()"},
      {"*,client(*,nested(*))", "*,client(*,nested(*))"},
      {"", ""},
      {"  ", ""},
  };
  for (const ParamCase& c : cases) {
    INFO("select=" << c.input);
    CHECK(Parsed({{"select", c.input}}) == "select=" + c.expected);
  }
}

TEST_CASE("query_params: select item kinds") {
  const std::vector<SelectItem> items = ParseSelect("*,a:b::text,...r!h!left(x)");
  REQUIRE(items.size() == 3);
  CHECK(items[0].kind == SelectItem::Kind::kStar);
  CHECK(items[1].kind == SelectItem::Kind::kColumn);
  CHECK(items[1].alias == "a");
  CHECK(items[1].field.name == "b");
  CHECK(items[1].cast == "text");
  CHECK(items[2].kind == SelectItem::Kind::kEmbed);
  CHECK(items[2].spread);
  CHECK(items[2].relation == "r");
  CHECK(items[2].hint == "h");
  CHECK(items[2].join == JoinType::kLeft);
  REQUIRE(items[2].children.size() == 1);
  CHECK(items[2].children[0].field.name == "x");
  CHECK_FALSE(ParseQueryParams({}).has_select);
}

TEST_CASE("query_params: malformed select is PGRST100") {
  const std::vector<std::string> inputs = {
      "a,,b",
      "a,",
      ",a",
      "a, ,b",
      "count()",
      "c:count()",
      "amount.sum()",
      "amount.avg()",
      "a(",
      "a(b",
      "a(b,",
      "a)",
      "a(b))",
      "name!hint",
      "*!hint",
      "*::text",
      "name::",
      "a:*",
      "alias:...rel(*)",
      "...rel",
      "...",
      "clients(name[])",
      "data->>-78xy",
      "data->",
      "data->>",
      "data->>a->b",
      "rel->x(*)",
      "\"unterminated",
      "a!inner!inner(*)",
      "a!h1!h2(*)",
      "a!b!c!d(*)",
      "a;b",
      "a b!",
      "a-",
      "-a",
      "a:",
      ":a",
      "a::b::c(x)",
      "a.b",
  };
  for (const std::string& in : inputs) CheckPgrst100([&] { ParseSelect(in); }, in);
}

TEST_CASE("query_params: parse errors keep PostgREST's message shape") {
  const std::vector<ParamCase> cases = {
      {"select=id,,x",
       "PGRST100 \"failed to parse select parameter (id,,x)\" (line 1, column 4) | "
       "unexpected \",\" expecting field name (* or [a..z0..9_$])"},
      {"select=\"my col\",x[",
       "PGRST100 \"failed to parse select parameter (\\\"my col\\\",x[)\" (line 1, column 11) | "
       "unexpected \"[\" expecting \"->\", \"::\", \",\", \")\" or end of input"},
      {"id=xx.1",
       "PGRST100 \"failed to parse filter (xx.1)\" (line 1, column 1) | "
       "unexpected \"x\" expecting \"not\" or operator (eq, gt, ...)"},
      {"id=not.xx.1",
       "PGRST100 \"failed to parse filter (not.xx.1)\" (line 1, column 5) | "
       "unexpected \"x\" expecting operator (eq, gt, ...)"},
      {"id=eq",
       "PGRST100 \"failed to parse filter (eq)\" (line 1, column 3) | "
       "unexpected end of input expecting delimiter (.)"},
      {"or=(a.eq.1",
       "PGRST100 \"failed to parse logic tree ((a.eq.1)\" (line 1, column 10) | "
       "unexpected end of input expecting \",\" or \")\""},
      {"order=x.foo",
       "PGRST100 \"failed to parse order (x.foo)\" (line 1, column 3) | "
       "unexpected \"f\" expecting \"asc\", \"desc\", \"nullsfirst\" or \"nullslast\""},
      {"limit=abc",
       "PGRST100 \"failed to parse limit parameter (abc)\" (line 1, column 1) | "
       "unexpected \"a\" expecting digit"},
      {"select=é,,x",  // columns count characters, not bytes
       "PGRST100 \"failed to parse select parameter (é,,x)\" (line 1, column 3) | "
       "unexpected \",\" expecting field name (* or [a..z0..9_$])"},
  };
  for (const ParamCase& c : cases) {
    const size_t eq = c.input.find('=');
    const Params params = {{c.input.substr(0, eq), c.input.substr(eq + 1)}};
    CHECK(Refusal([&] { ParseQueryParams(params); }) == c.expected);
  }
  // Invalid UTF-8 and control bytes are made printable so the error JSON stays valid.
  CHECK(Refusal([] { ParseSelect("a\xff\n!"); }) ==
        "PGRST100 \"failed to parse select parameter (a\xEF\xBF\xBD\\n!)\" (line 1, column 3) | "
        "unexpected \"\\n\" expecting \"->\", \"::\", \",\", \")\" or end of input");
}

struct OpCase {
  std::string value;
  FilterOp op;
  bool negated;
  std::string expected;
};

TEST_CASE("query_params: every operator") {
  using F = FilterOp;
  const std::vector<OpCase> cases = {
      {"eq.1", F::kEq, false, "eq.1"},
      {"neq.a", F::kNeq, false, "neq.a"},
      {"gt.1", F::kGt, false, "gt.1"},
      {"gte.2024-01-01T00:00:00.000Z", F::kGte, false, "gte.2024-01-01T00:00:00.000Z"},
      {"lt.1", F::kLt, false, "lt.1"},
      {"lte.1", F::kLte, false, "lte.1"},
      {"like.%a b%", F::kLike, false, "like.%a b%"},
      {"ilike.a*b", F::kIlike, false, "ilike.a*b"},
      {"match.^a", F::kMatch, false, "match.^a"},
      {"imatch.^a(b|c)", F::kImatch, false, "imatch.^a(b|c)"},
      {"is.null", F::kIs, false, "is.null"},
      {"is.NULL", F::kIs, false, "is.NULL"},
      {"is.not_null", F::kIs, false, "is.not_null"},
      {"is.True", F::kIs, false, "is.True"},
      {"is.false", F::kIs, false, "is.false"},
      {"is.unknown", F::kIs, false, "is.unknown"},
      {"isdistinct.v", F::kIsDistinct, false, "isdistinct.v"},
      {"in.(1,2)", F::kIn, false, "in.(1,2)"},
      {"cs.{a,b}", F::kCs, false, "cs.{a,b}"},
      {"cs.{\"x\":1}", F::kCs, false, "cs.{\"x\":1}"},
      {"cd.{a,b}", F::kCd, false, "cd.{a,b}"},
      {"ov.{1,2}", F::kOv, false, "ov.{1,2}"},
      {"ov.[1,5)", F::kOv, false, "ov.[1,5)"},
      {"sl.[1,5)", F::kSl, false, "sl.[1,5)"},
      {"sr.[1,5)", F::kSr, false, "sr.[1,5)"},
      {"nxl.[1,5)", F::kNxl, false, "nxl.[1,5)"},
      {"nxr.[1,5)", F::kNxr, false, "nxr.[1,5)"},
      {"adj.[1,5)", F::kAdj, false, "adj.[1,5)"},
      {"fts.fat & rat", F::kFts, false, "fts.fat & rat"},
      {"fts(english).cat", F::kFts, false, "fts(english).cat"},
      {"plfts.a b", F::kPlfts, false, "plfts.a b"},
      {"phfts(simple).a b", F::kPhfts, false, "phfts(simple).a b"},
      {"wfts(english).\"a b\" -c", F::kWfts, false, "wfts(english).\"a b\" -c"},
      {"like(all).{a%,%b}", F::kLikeAll, false, "like(all).{a%,%b}"},
      {"like(any).{a%,%b}", F::kLikeAny, false, "like(any).{a%,%b}"},
      {"ilike(all).{a%}", F::kIlikeAll, false, "ilike(all).{a%}"},
      {"ilike(any).{}", F::kIlikeAny, false, "ilike(any).{}"},
      {"not.eq.1", F::kEq, true, "not.eq.1"},
      {"not.in.(1,2)", F::kIn, true, "not.in.(1,2)"},
      {"not.is.null", F::kIs, true, "not.is.null"},
      {"not.like(any).{a%}", F::kLikeAny, true, "not.like(any).{a%}"},
      {"not.fts(english).x", F::kFts, true, "not.fts(english).x"},
      // The top-level operand is everything after `op.`, quotes not special (docs/wire.md).
      {"eq.a,b (c)", F::kEq, false, "eq.a,b (c)"},
      {"eq.\"quoted\"", F::kEq, false, "eq.\"quoted\""},
      {"eq.null", F::kEq, false, "eq.null"},
      {"eq.", F::kEq, false, "eq."},
      {"eq.not.x", F::kEq, false, "eq.not.x"},
      {"eq.in.(1)", F::kEq, false, "eq.in.(1)"},
  };
  for (const OpCase& c : cases) {
    INFO("value: " << c.value);
    const Operation op = ParseOperation(c.value, /*in_logic_tree=*/false);
    CHECK(op.op == c.op);
    CHECK(op.negated == c.negated);
    CHECK(op.ToString() == c.expected);
  }
  CHECK(ParseOperation("fts(english).cat", false).fts_config == "english");
  CHECK(ParseOperation("eq.a,b (c)", false).value == "a,b (c)");
}

TEST_CASE("query_params: malformed operators are PGRST100") {
  const std::vector<std::string> values = {
      "xx.1",
      "eq1",
      "eq",
      "",
      "not.",
      "not.xx.1",
      "not.not.eq.1",
      "EQ.1",
      "Eq.1",
      "noop.0",
      "is.nul",
      "is.nullx",
      "is.maybe",
      "is.",
      "in.1,2",
      "in.(1,2",
      "in.(1,2)x",
      "in.",
      "in.\"a\"",
      "like(some).{a}",
      "like(all).a",
      "like(all).{a",
      "like(all).{\"a\"b}",
      "eq(any).1",
      "gt(all).1",
      "fts().q",
      "fts(eng.q",
      "fts(english)q",
      "neq(x).1",
      "is(x).1",
      "in(x).(1)",
      "not.eq",
      "value",
  };
  for (const std::string& v : values) {
    CheckPgrst100([&] { ParseQueryParams({{"col", v}}); }, v);
  }
}

TEST_CASE("query_params: in list quoting") {
  struct InCase {
    std::string value;
    std::vector<std::string> items;
  };
  const std::vector<InCase> cases = {
      {"in.(1,2,3)", {"1", "2", "3"}},
      {"in.(\"a,b\",c)", {"a,b", "c"}},
      {"in.(\"(x)\",\"y)\")", {"(x)", "y)"}},
      {"in.(\"a\\\"b\")", {"a\"b"}},
      {"in.(\"a\\\\b\")", {"a\\b"}},
      {"in.(a b,x\"y)", {"a b", "x\"y"}},    // supabase-js sends these unquoted
      {"in.(\"ab\"c,d)", {"\"ab\"c", "d"}},  // a quote not ending the item is just text
      {"in.(\"a,b)", {"\"a", "b"}},
      {"in.(a(b)", {"a(b"}},
      {"in.()", {}},  // no items: matches nothing
      {"in.( )", {}},
      {"in.(\"\")", {""}},
      {"in.(,)", {"", ""}},
      {"in.( 1,2 ) ", {"1", "2 "}},
      {"not.in.(null)", {"null"}},
  };
  for (const InCase& c : cases) {
    INFO("value: " << c.value);
    const Operation op = ParseOperation(c.value, false);
    CHECK(op.op == FilterOp::kIn);
    CHECK(op.items == c.items);
  }
  CHECK(ParseOperation("in.(\"a,b\",,x y)", false).ToString() == "in.(\"a,b\",\"\",x y)");
}

TEST_CASE("query_params: like(all)/like(any) patterns") {
  CHECK(ParseOperation("like(any).{\"a,b\", c ,d}", false).items ==
        std::vector<std::string>{"a,b", "c", "d"});
  CHECK(ParseOperation("ilike(all).{\"x\\\"y\"}", false).items == std::vector<std::string>{"x\"y"});
  CHECK(ParseOperation("like(all).{}", false).items.empty());
  CHECK(ParseOperation("like(all).{a%,%b}", false).value == "{a%,%b}");
}

TEST_CASE("query_params: filter keys and embed prefixes") {
  const std::vector<ParamCase> cases = {
      {"id=eq.1", "id=eq.1"},
      {"author.name=eq.Ann", "author.name=eq.Ann"},
      {"a.b.c=gt.1", "a.b.c=gt.1"},
      {"data->>a=eq.1", "data->>a=eq.1"},
      {"data->a->>b=eq.x", "data->a->>b=eq.x"},
      {"items->0=eq.x", "items->0=eq.x"},
      {"author.data->a=eq.1", "author.data->a=eq.1"},
      {"\"my col\"=eq.1", "\"my col\"=eq.1"},
      {"\"a.b\".c=eq.1", "\"a.b\".c=eq.1"},
      {"author=not.is.null", "author=not.is.null"},
  };
  for (const ParamCase& c : cases) {
    const size_t eq = c.input.find('=');
    INFO(c.input);
    CHECK(Parsed({{c.input.substr(0, eq), c.input.substr(eq + 1)}}) == c.expected);
  }
  const ApiRequest req = ParseQueryParams({{"a.b.c", "eq.1"}});
  REQUIRE(req.filters.size() == 1);
  CHECK(req.filters[0].first == EmbedPath{"a", "b"});
  CHECK(req.filters[0].second.field.name == "c");
  CHECK(req.filters[0].second.embed_path.empty());
  for (const std::string key : {"a..b", ".a", "a.", "data->a.b", "", "a!b", "a->"}) {
    CheckPgrst100([&] { ParseQueryParams({{key, "eq.1"}}); }, key);
  }
}

TEST_CASE("query_params: reserved keys, repeats and parameter order") {
  CHECK(Parsed({{"age", "gt.18"}, {"age", "lt.65"}}) == "age=gt.18&age=lt.65");
  CHECK(Parsed({{"id", "eq.1"}, {"select", "id"}}) == "select=id&id=eq.1");
  CHECK(Parsed({{"select", "a"}, {"select", "b"}}) == "select=a");  // first wins, as PostgREST
  CHECK(Parsed({{"order", "a"}, {"order", "b.desc"}}) == "order=b.desc");  // last wins
  CHECK(Parsed({{"limit", "5"},
                {"offset", "10"},
                {"comments.limit", "2"},
                {"comments.offset", "0"},
                {"a.b.limit", "1"}}) ==
        "limit=5&a.b.limit=1&comments.limit=2&offset=10&comments.offset=0");
  CHECK(Parsed({{"comments.order", "created_at.desc"}}) == "comments.order=created_at.desc");
  CHECK(Parsed({{"columns", "a,b"}, {"on_conflict", "id"}}) == "columns=a,b&on_conflict=id");
  CHECK(Parsed({{"or", "(a.eq.1)"},
                {"and", "(b.eq.2)"},
                {"not.or", "(c.eq.3)"},
                {"not.and", "(d.eq.4)"},
                {"comments.or", "(e.eq.5)"},
                {"comments.not.and", "(f.eq.6)"}}) ==
        "or=(a.eq.1)&and=(b.eq.2)&not.or=(c.eq.3)&not.and=(d.eq.4)&comments.or=(e.eq.5)&"
        "comments.not.and=(f.eq.6)");
  CHECK(ParseQueryParams({{"x.y.limit", "3"}}).limit.at(EmbedPath{"x", "y"}) == 3);
  for (const std::string key : {".order", "a..limit", "\"a.offset", "a\".or"}) {
    CheckPgrst100([&] { ParseQueryParams({{key, "1"}}); }, key);
  }
}

TEST_CASE("query_params: rpc arguments") {
  const auto is_arg = [](std::string_view key) { return key == "a" || key == "limit"; };
  CHECK(ParseQueryParams({{"a", "{1,2}"}, {"b", "eq.2"}, {"limit", "1"}}, is_arg).ToString() ==
        "b=eq.2&limit=1&rpc:a={1,2}");
  // Without the predicate every non-reserved key is a filter.
  CheckPgrst100([] { ParseQueryParams({{"a", "1"}}); }, "a=1");
}

TEST_CASE("query_params: order forms") {
  const std::vector<ParamCase> cases = {
      {"a", "a.asc"},
      {"a.asc,b.desc.nullsfirst,c.nullslast", "a.asc,b.desc.nullsfirst,c.asc.nullslast"},
      {"a.desc.nullslast", "a.desc.nullslast"},
      {"a.nullsfirst", "a.asc.nullsfirst"},
      {"data->x.desc", "data->x.desc"},
      {"data->>x", "data->>x.asc"},
      {"items->0.desc", "items->0.desc"},
      {"author(name).desc", "author(name).desc"},
      {"clients(json_col->key).desc.nullsfirst", "clients(json_col->key).desc.nullsfirst"},
      {"name,clients(name),id", "name.asc,clients(name).asc,id.asc"},
      {" a.desc , b ", "a.desc,b.asc"},
      {"\"my col\".desc", "\"my col\".desc"},
  };
  for (const ParamCase& c : cases) {
    INFO("order=" << c.input);
    CHECK(Parsed({{"order", c.input}}) == "order=" + c.expected);
  }
  const std::vector<OrderTerm> terms = ParseOrder("a,b.desc");
  REQUIRE(terms.size() == 2);
  CHECK_FALSE(terms[0].nulls_first.has_value());
  CHECK(terms[1].descending);
  for (const std::string in :
       {"id.ac", "id.descc", "id.nulsfist", "id.asc.nlsfst", "id.asc.nullslasttt",
        "clients(name,id)", "", "a,", ",a", "a..desc", "id.asc.", "x.foo", "a.desc.asc",
        "a.nullsfirst.desc", "a(b", "a(b).", "data->", "a b!"}) {
    CheckPgrst100([&] { ParseOrder(in); }, in);
  }
}

TEST_CASE("query_params: limit and offset") {
  CHECK(ParseNonNegative("0", "limit") == 0);
  CHECK(ParseNonNegative("10", "offset") == 10);
  CHECK(ParseNonNegative("9223372036854775807", "limit") == INT64_MAX);
  for (const std::string in : {"abc", "-1", "1.5", "", " 1", "1 ", "+1", "1e3",
                               "9223372036854775808", "99999999999999999999"}) {
    CheckPgrst100([&] { ParseNonNegative(in, "limit"); }, in);
  }
  CHECK(Refusal([] {
          ParseQueryParams({{"comments.offset", "-1"}});
        }) ==
        "PGRST100 \"failed to parse comments.offset parameter (-1)\" (line 1, column 1) | "
        "unexpected \"-\" expecting digit");
}

TEST_CASE("query_params: columns and on_conflict lists") {
  CHECK(ParseColumnList("a,b") == std::vector<std::string>{"a", "b"});
  CHECK(ParseColumnList(" a , b ") == std::vector<std::string>{"a", "b"});
  CHECK(ParseColumnList("\"my col\",b") == std::vector<std::string>{"my col", "b"});
  CHECK(ParseColumnList("\"a,b\", \" c \"") == std::vector<std::string>{"a,b", " c "});
  for (const std::string in : {"a,,b", ",a", "a,", "\"\"", "", " ", "a;b", "\"a", "a b!"}) {
    CheckPgrst100([&] { ParseColumnList(in, "on_conflict"); }, in);
  }
  CHECK(Refusal([] {
          ParseQueryParams({{"on_conflict", "a,"}});
        }) ==
        "PGRST100 \"failed to parse on_conflict parameter (a,)\" (line 1, column 3) | "
        "unexpected end of input expecting field name (* or [a..z0..9_$])");
}

TEST_CASE("query_params: ParseField") {
  const std::vector<ParamCase> cases = {
      {"data->a->>b", "data->a->>b"}, {"\"my col\"", "\"my col\""},   {"items->0", "items->0"},
      {"items->-1", "items->-1"},     {"data->\"0\"", "data->\"0\""}, {" a ", "a"},
      {"data->a b", "data->\"a b\""},
  };
  for (const ParamCase& c : cases) CHECK(ParseField(c.input).ToString() == c.expected);
  const Field f = ParseField("data->items->>0");
  REQUIRE(f.path.size() == 2);
  CHECK(f.path[1].is_index);
  CHECK(f.path[1].as_text);
  CHECK_FALSE(f.path[0].as_text);
  for (const std::string in : {"a.b", "", "a(", "data->", "a->>b->c", "data->-1x", "a!"}) {
    CheckPgrst100([&] { ParseField(in); }, in);
  }
}

}  // namespace
}  // namespace ib::rest
