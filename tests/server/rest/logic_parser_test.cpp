// query_params: logic trees (`or=`, `and=`, `not.or=`, `{embed}.or=`), PostgREST's grammar.
// Tables of value -> LogicTree::ToString(), the value rules inside trees, and refusals.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "server/rest/query_params.h"
#include "storage/error.h"

namespace ib::rest {
namespace {

struct Case {
  std::string input;
  std::string expected;
};

const Filter& FilterAt(const LogicTree& tree, size_t i) {
  return std::get<Filter>(tree.children.at(i));
}

TEST_CASE("query_params: logic tree nesting and negation") {
  const std::vector<Case> cases = {
      {"(a.eq.1,b.gt.2)", "or(a.eq.1,b.gt.2)"},
      {"(a.eq.1)", "or(a.eq.1)"},
      {"(a.eq.1,and(c.eq.3,not.or(d.eq.4,e.is.null)))",
       "or(a.eq.1,and(c.eq.3,not.or(d.eq.4,e.is.null)))"},
      {"(and(a.eq.1,b.eq.2),or(c.eq.3),not.and(d.eq.4))",
       "or(and(a.eq.1,b.eq.2),or(c.eq.3),not.and(d.eq.4))"},
      {"( a.eq.1 , and (b.eq.2) )", "or(a.eq.1 ,and(b.eq.2))"},  // values keep their spaces
      {"(a.not.eq.1,b.not.in.(1,2),c.not.is.null)", "or(a.not.eq.1,b.not.in.(1,2),c.not.is.null)"},
      {"(a.in.(1,\"x,y\"),b.eq.3)", "or(a.in.(1,\"x,y\"),b.eq.3)"},
      {"(a.in.(),b.eq.3)", "or(a.in.(),b.eq.3)"},
      {"(tags.cs.{a,b},tags.ov.{c})", "or(tags.cs.{a,b},tags.ov.{c})"},
      {"(a.like(any).{x%,y%},b.ilike(all).{\"p,q\"})",
       "or(a.like(any).{x%,y%},b.ilike(all).{\"p,q\"})"},
      {"(a.fts(english).cat,b.wfts.dog)", "or(a.fts(english).cat,b.wfts.dog)"},
      {"(a.isdistinct.x,b.match.^a,c.imatch.b$)", "or(a.isdistinct.x,b.match.^a,c.imatch.b$)"},
      {"(data->>a.eq.1,data->b->0.gt.2)", "or(data->>a.eq.1,data->b->0.gt.2)"},
      {"(comments.id.eq.1,author.is.null,a.b.c.not.eq.2)",
       "or(comments.id.eq.1,author.is.null,a.b.c.not.eq.2)"},
      {"(\"my col\".eq.1,\"a.b\".eq.2)", "or(\"my col\".eq.1,\"a.b\".eq.2)"},
      // The first segment is always a field, even when it reads like an operator.
      {"(eq.eq.1,not.eq.2,in.in.(1))", "or(eq.eq.1,not.eq.2,in.in.(1))"},
      {"(a.eq.)", "or(a.eq.)"},
  };
  for (const Case& c : cases) {
    INFO("or=" << c.input);
    CHECK(ParseLogicTree(c.input, false, false).ToString() == c.expected);
  }
  CHECK(ParseLogicTree("(a.eq.1)", true, true).ToString() == "not.and(a.eq.1)");
  CHECK(ParseLogicTree("(a.eq.1)", true, false).ToString() == "and(a.eq.1)");
}

TEST_CASE("query_params: logic tree values") {
  struct ValueCase {
    std::string tree;
    std::string value;
  };
  const std::vector<ValueCase> cases = {
      {"(a.eq.\"x,y\")", "x,y"},  // quoted: commas and parens allowed
      {"(a.eq.\"(x)\")", "(x)"},
      {"(a.eq.\"x\\\"y\\\\z\")", "x\"y\\z"},  // backslash escapes the next char
      {"(a.eq.\"x\"y)", "\"x\"y"},            // a quote not ending the value is just text
      {"(a.eq.\"x)", "\"x"},
      {"(a.eq.\"x\" y)", "\"x\" y"},
      {"(a.eq.a b)", "a b"},
      {"(a.eq.x\"y)", "x\"y"},
      {"(a.cs.{1,2,3})", "{1,2,3}"},  // braces keep their commas
      {"(a.cs.{\"a\":1})", "{\"a\":1}"},
      {"(a.eq.{x)", "{x"},  // unclosed brace: plain value
      {"(a.is.NULL)", "NULL"},
      {"(a.eq.not.x)", "not.x"},
      {"(a.eq.1.5)", "1.5"},
  };
  for (const ValueCase& c : cases) {
    INFO("or=" << c.tree);
    const LogicTree tree = ParseLogicTree(c.tree, false, false);
    REQUIRE(tree.children.size() == 1);
    CHECK(FilterAt(tree, 0).operation.value == c.value);
  }
  const LogicTree tree = ParseLogicTree("(comments.author.id.not.in.(1,\"2,3\"))", false, false);
  const Filter& f = FilterAt(tree, 0);
  CHECK(f.embed_path == std::vector<std::string>{"comments", "author"});
  CHECK(f.field.name == "id");
  CHECK(f.operation.negated);
  CHECK(f.operation.items == std::vector<std::string>{"1", "2,3"});
  CHECK(ParseOperation("eq.\"a,b\"", /*in_logic_tree=*/true).value == "a,b");
  CHECK(ParseOperation("in.(1,2)", /*in_logic_tree=*/true).items.size() == 2);
}

TEST_CASE("query_params: logic tree keys") {
  const ApiRequest req =
      ParseQueryParams({{"comments.not.or", "(a.eq.1)"}, {"x.y.and", "(b.eq.2)"}});
  REQUIRE(req.logic.size() == 2);
  CHECK(req.logic[0].first == EmbedPath{"comments"});
  CHECK(req.logic[0].second.negated);
  CHECK_FALSE(req.logic[0].second.is_and);
  CHECK(req.logic[1].first == EmbedPath{"x", "y"});
  CHECK(req.logic[1].second.is_and);
  CHECK_FALSE(req.logic[1].second.negated);
}

TEST_CASE("query_params: malformed logic trees are PGRST100") {
  const std::vector<std::string> values = {
      "()",
      "( )",
      "(a.eq.1",
      "a.eq.1",
      "(a.eq.1))",
      "(a.eq.1)x",
      "(a.xx.1)",
      "(a)",
      "(a.)",
      "(a.eq.1,)",
      "(,a.eq.1)",
      "(and(a.eq.1)",
      "(and())",
      "(not.xor(a.eq.1))",
      "(xor(a.eq.1))",
      "(a.eq.1,b.in.(1,2)",
      "(a.in.1)",
      "(a.is.maybe)",
      "(a.like(all).x)",
      "(a.eq.{x}y)",
      "(a..eq.1)",
      "(.eq.1)",
      "(a->.eq.1)",
      "(a->b)",
      "",
      "(a.eq(any).1)",
      "(a.fts().x)",
      "(a.eq.1)(b.eq.2)",
  };
  for (const std::string& v : values) {
    INFO("or=" << v);
    try {
      ParseQueryParams({{"or", v}});
      FAIL("accepted");
    } catch (const storage::Error& e) {
      CHECK(e.code() == "PGRST100");
      CHECK(e.message().rfind("\"failed to parse logic tree (", 0) == 0);
    }
  }
}

TEST_CASE("query_params: logic tree depth limit") {
  const auto nested = [](int depth) {
    std::string v = "(";
    for (int i = 1; i < depth; ++i) v += "and(";
    v += "a.eq.1";
    for (int i = 0; i < depth; ++i) v += ")";
    return v;
  };
  CHECK_NOTHROW(ParseLogicTree(nested(64), false, false));
  CHECK_THROWS_AS(ParseLogicTree(nested(65), false, false), storage::Error);
  CHECK_THROWS_AS(ParseLogicTree(nested(100000), false, false), storage::Error);
}

}  // namespace
}  // namespace ib::rest
