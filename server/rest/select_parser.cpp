// `select=` (docs/wire.md), PostgREST's pFieldForest: `*`, `alias:col->path::cast`,
// `alias:rel!hint!inner(...)`, `...rel(...)`. Parsed without backtracking: read a name, then the
// next character decides between column and embed. One recursion per embed level, bounded by
// kMaxNesting.
#include <string>
#include <string_view>
#include <utility>

#include "server/rest/query_params.h"
#include "server/rest/query_params_internal.h"
#include "storage/error.h"

namespace ib::rest::internal {
namespace {

std::vector<SelectItem> ForestAt(Cursor& c, int depth);

bool IsAggregate(std::string_view word) {
  return word == "sum" || word == "avg" || word == "count" || word == "max" || word == "min";
}

// PostgREST's pFieldSelect ends an item at `)`, `,` or the end of input.
void EndOfItem(Cursor& c) {
  c.SkipSpaces();
  if (c.AtEnd() || c.Peek() == ',' || c.Peek() == ')') return;
  if (c.Peek() == '.') {  // `amount.sum()`: PostgREST aggregates, which we do not offer
    size_t end = c.pos() + 1;
    while (end < c.text().size() && c.text()[end] >= 'a' && c.text()[end] <= 'z') ++end;
    if (IsAggregate(c.text().substr(c.pos() + 1, end - c.pos() - 1)) &&
        c.text().substr(end, 1) == "(") {
      c.FailWith(c.pos(), "unexpected \".\": aggregate functions are not supported");
    }
  }
  c.Fail("\"->\", \"::\", \",\", \")\" or end of input");
}

// `!hint`, `!inner`, `!left`: at most one of each kind, in either order (pEmbedParams).
void EmbedParamsAt(Cursor& c, SelectItem& item) {
  bool has_hint = false;
  bool has_join = false;
  while (c.Peek() == '!' && !c.AtEnd()) {
    c.Advance();
    const size_t at = c.pos();
    std::string param = FieldNameAt(c);
    const bool is_join = param == "inner" || param == "left";
    if (is_join ? has_join : has_hint) c.FailAt(at, "\"(\"");
    if (is_join) {
      item.join = param == "inner" ? JoinType::kInner : JoinType::kLeft;
      has_join = true;
    } else {
      item.hint = std::move(param);
      has_hint = true;
    }
  }
}

SelectItem EmbedAt(Cursor& c, int depth, std::string alias, std::string relation, bool spread) {
  SelectItem item;
  item.kind = SelectItem::Kind::kEmbed;
  item.alias = std::move(alias);
  item.relation = std::move(relation);
  item.spread = spread;
  EmbedParamsAt(c, item);
  if (!c.Consume('(')) c.Fail("\"!\" or \"(\"");
  if (depth > kMaxNesting) {
    c.FailWith(c.pos(), "embeds nested deeper than " + std::to_string(kMaxNesting) +
                            " levels are not supported");
  }
  item.children = ForestAt(c, depth + 1);
  if (!c.Consume(')')) c.Fail("\",\" or \")\"");
  return item;
}

SelectItem ItemAt(Cursor& c, int depth) {
  if (c.Consume("...")) return EmbedAt(c, depth, "", FieldNameAt(c), /*spread=*/true);
  SelectItem item;
  if (c.Consume('*')) {
    item.kind = SelectItem::Kind::kStar;
    EndOfItem(c);
    return item;
  }
  std::string name = FieldNameAt(c);
  if (c.Peek() == ':' && c.Peek(1) != ':') {  // `:` then `:` is a cast, not an alias
    c.Advance();
    c.SkipSpaces();
    item.alias = std::move(name);
    name = FieldNameAt(c);
  }
  const size_t name_end = c.pos();
  if ((c.Peek() == '!' || c.Peek() == '(') && !c.AtEnd()) {
    // PostgREST refuses `count` as a relation name: `count()` is its aggregate.
    if (name == "count" && c.Peek() == '(') {
      c.FailWith(name_end,
                 "unexpected \"(\": aggregate functions such as count() are not "
                 "supported");
    }
    return EmbedAt(c, depth, std::move(item.alias), std::move(name), /*spread=*/false);
  }
  item.field.name = std::move(name);
  item.field.path = JsonPathAt(c);
  c.SkipSpaces();
  if (c.Consume("::")) item.cast = IdentifierAt(c);
  EndOfItem(c);
  return item;
}

// Items separated by `,` with optional spaces; zero items when the list is empty (PostgREST's
// sepBy: `select=` and `rel()` are valid), but never an empty item between commas.
std::vector<SelectItem> ForestAt(Cursor& c, int depth) {
  std::vector<SelectItem> items;
  c.SkipSpaces();
  if (c.AtEnd() || c.Peek() == ')') return items;
  for (;;) {
    items.push_back(ItemAt(c, depth));
    c.SkipSpaces();
    if (!c.Consume(',')) return items;
    c.SkipSpaces();
  }
}

}  // namespace
}  // namespace ib::rest::internal

namespace ib::rest {

std::vector<SelectItem> ParseSelect(std::string_view select) {
  internal::Cursor c(select, "select parameter");
  std::vector<SelectItem> items = internal::ForestAt(c, 1);
  if (!c.AtEnd()) c.Fail("\",\" or end of input");
  return items;
}

}  // namespace ib::rest
