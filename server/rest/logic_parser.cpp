// Logic trees: `or=(a.eq.1,b.gt.2,and(c.eq.3,not.or(d.eq.4,e.is.null)))`, PostgREST's
// pLogicTree. Recursion is one level per `and(`/`or(` and stops at kMaxNesting, so hostile input
// cannot exhaust the stack; everything else is a left-to-right scan (linear in the input).
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "server/rest/query_params.h"
#include "server/rest/query_params_internal.h"
#include "storage/error.h"

namespace ib::rest::internal {
namespace {

void ChildrenAt(Cursor& c, LogicTree& tree, int depth);

// `and(` / `or(` (spaces allowed before the paren, as PostgREST's lexeme allows) after an
// optional `not.`. Leaves the cursor on the paren and fills the tree header when it matches.
bool SubtreeHeaderAt(Cursor& c, LogicTree& tree) {
  const size_t start = c.pos();
  tree.negated = c.Consume("not.");
  if (c.Consume("and")) {
    tree.is_and = true;
  } else if (!c.Consume("or")) {
    c.set_pos(start);
    return false;
  }
  c.SkipSpaces();
  if (c.Peek() == '(') return true;
  c.set_pos(start);
  return false;
}

// A condition `[embed.]*field[->path].[not.]op.value`. The first dot-segment that names an
// operator (or `not`) ends the field, so `comments.id.eq.1` is {comments} + id + eq.1 and
// `author.is.null` (an embed's is-null test inside or=, as PostgREST allows) is field
// `author` with is.null.
Filter ConditionAt(Cursor& c) {
  Filter filter;
  for (;;) {
    c.SkipSpaces();
    std::string name = FieldNameAt(c);
    if (c.LookingAt("->")) {
      filter.field.name = std::move(name);
      filter.field.path = JsonPathAt(c);
      c.SkipSpaces();
      if (!c.Consume('.')) c.Fail("delimiter (.)");
      break;
    }
    c.SkipSpaces();
    if (!c.Consume('.')) c.Fail("delimiter (.)");
    if (AtOperator(c)) {
      filter.field.name = std::move(name);
      break;
    }
    filter.embed_path.push_back(std::move(name));
  }
  filter.operation = OperationAt(c, /*in_logic_tree=*/true);
  return filter;
}

LogicNode NodeAt(Cursor& c, int depth) {
  c.SkipSpaces();
  LogicTree header;
  if (SubtreeHeaderAt(c, header)) {
    auto subtree = std::make_unique<LogicTree>(std::move(header));
    ChildrenAt(c, *subtree, depth + 1);
    return subtree;
  }
  const char next = c.Peek();
  if (c.AtEnd() || (next != '"' && !IsIdentifierChar(next))) {
    c.Fail("field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)");
  }
  return ConditionAt(c);
}

// `(node,node,...)`: at least one node, as PostgREST's sepBy1.
void ChildrenAt(Cursor& c, LogicTree& tree, int depth) {
  if (depth > kMaxNesting) {
    c.FailWith(c.pos(), "logic trees nested deeper than " + std::to_string(kMaxNesting) +
                            " levels are not supported");
  }
  c.SkipSpaces();
  c.Expect('(');
  for (;;) {
    tree.children.push_back(NodeAt(c, depth));
    c.SkipSpaces();
    if (c.Consume(',')) continue;
    if (c.Consume(')')) return;
    c.Fail("\",\" or \")\"");
  }
}

}  // namespace
}  // namespace ib::rest::internal

namespace ib::rest {

LogicTree ParseLogicTree(std::string_view value, bool is_and, bool negated) {
  // PostgREST parses `or` + value (and `not.or` + value), so its columns count that prefix.
  const int prefix = (negated ? 4 : 0) + (is_and ? 3 : 2);
  internal::Cursor c(value, "logic tree", prefix);
  LogicTree tree;
  tree.is_and = is_and;
  tree.negated = negated;
  internal::ChildrenAt(c, tree, 1);
  c.SkipSpaces();
  if (!c.AtEnd()) c.Fail("end of input");
  return tree;
}

}  // namespace ib::rest
