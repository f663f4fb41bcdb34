// Filter operations: `[not.]op[(modifier)].operand`, PostgREST's pOpExpr. The operand is taken
// literally at top level (`eq.a,b (c)` is the string `a,b (c)`); inside a logic tree it ends at
// the next unquoted `,` or `)` (pLogicSingleVal). `in.(...)` lists follow pListVal everywhere.
#include <array>
#include <string>
#include <string_view>

#include "server/rest/query_params.h"
#include "server/rest/query_params_internal.h"
#include "storage/error.h"

namespace ib::rest::internal {
namespace {

struct OpName {
  std::string_view name;
  FilterOp op;
};

// The operators PostgREST accepts (simpleOperator, quantOperator, in, is, isdistinct, fts).
constexpr std::array<OpName, 25> kOperators = {{
    {"eq", FilterOp::kEq},       {"neq", FilterOp::kNeq},
    {"gt", FilterOp::kGt},       {"gte", FilterOp::kGte},
    {"lt", FilterOp::kLt},       {"lte", FilterOp::kLte},
    {"like", FilterOp::kLike},   {"ilike", FilterOp::kIlike},
    {"match", FilterOp::kMatch}, {"imatch", FilterOp::kImatch},
    {"is", FilterOp::kIs},       {"isdistinct", FilterOp::kIsDistinct},
    {"in", FilterOp::kIn},       {"cs", FilterOp::kCs},
    {"cd", FilterOp::kCd},       {"ov", FilterOp::kOv},
    {"sl", FilterOp::kSl},       {"sr", FilterOp::kSr},
    {"nxl", FilterOp::kNxl},     {"nxr", FilterOp::kNxr},
    {"adj", FilterOp::kAdj},     {"fts", FilterOp::kFts},
    {"plfts", FilterOp::kPlfts}, {"phfts", FilterOp::kPhfts},
    {"wfts", FilterOp::kWfts},
}};

const OpName* FindOperator(std::string_view word) {
  for (const OpName& entry : kOperators) {
    if (entry.name == word) return &entry;
  }
  return nullptr;
}

// The lowercase ASCII word at the cursor (operator names are case-sensitive in PostgREST).
std::string_view WordAt(const Cursor& c) {
  size_t end = c.pos();
  while (end < c.text().size() && c.text()[end] >= 'a' && c.text()[end] <= 'z') ++end;
  return c.text().substr(c.pos(), end - c.pos());
}

bool IsFts(FilterOp op) {
  return op == FilterOp::kFts || op == FilterOp::kPlfts || op == FilterOp::kPhfts ||
         op == FilterOp::kWfts;
}

// `(english)` after an fts operator, or `(all)`/`(any)` after like/ilike.
void ModifierAt(Cursor& c, Operation& op) {
  const size_t paren = c.pos();
  c.Advance();
  if (IsFts(op.op)) {
    op.fts_config = IdentifierAt(c);
    c.Expect(')');
    return;
  }
  if (op.op == FilterOp::kLike || op.op == FilterOp::kIlike) {
    const bool like = op.op == FilterOp::kLike;
    if (c.Consume("all)")) {
      op.op = like ? FilterOp::kLikeAll : FilterOp::kIlikeAll;
    } else if (c.Consume("any)")) {
      op.op = like ? FilterOp::kLikeAny : FilterOp::kIlikeAny;
    } else {
      c.Fail("\"any)\" or \"all)\"");
    }
    return;
  }
  // PostgREST also quantifies eq/gt/.../match (`eq(any).{1,2}`); we have no type for that.
  c.FailWith(paren,
             "unexpected \"(\" expecting delimiter (.); the (any)/(all) quantifier is "
             "supported on like and ilike only");
}

// pLogicSingleVal: `"quoted"` (when followed by `,` `)` or the end), a `{...}` literal without
// nested braces (PostgREST's pPgArray), or raw text up to the next `,` or `)`.
std::string LogicValueAt(Cursor& c) {
  const size_t start = c.pos();
  std::string quoted;
  if (c.Peek() == '"' && !c.AtEnd() && QuotedAt(c, quoted)) {
    if (c.AtEnd() || c.Peek() == ',' || c.Peek() == ')') return quoted;
    c.set_pos(start);
  }
  std::string_view text = c.text();
  if (c.Peek() == '{' && !c.AtEnd()) {
    const size_t close = text.find_first_of("{}", start + 1);
    if (close != std::string_view::npos && text[close] == '}') {
      c.set_pos(close + 1);
      return std::string(text.substr(start, close + 1 - start));
    }
  }
  size_t end = text.find_first_of(",)", start);
  if (end == std::string_view::npos) end = text.size();
  c.set_pos(end);
  return std::string(text.substr(start, end - start));
}

// pListElement: a `"quoted"` item (then `,` or `)` must follow) or raw text up to `,` or `)`.
std::string ListItemAt(Cursor& c) {
  const size_t start = c.pos();
  std::string item;
  if (c.Peek() == '"' && !c.AtEnd() && QuotedAt(c, item)) {
    if (c.Peek() == ',' || c.Peek() == ')') return item;
    c.set_pos(start);
  }
  std::string_view text = c.text();
  size_t end = text.find_first_of(",)", start);
  if (end == std::string_view::npos) end = text.size();
  c.set_pos(end);
  return std::string(text.substr(start, end - start));
}

// pListVal: `(a,b,"c,d")`. Unlike PostgREST (which reads `()` as one empty item) `in.()` has
// no items, so it matches nothing: what a client passing an empty list means (docs/wire.md).
void InListAt(Cursor& c, std::vector<std::string>& items) {
  c.SkipSpaces();
  c.Expect('(');
  c.SkipSpaces();
  if (c.Consume(')')) return;
  for (;;) {
    items.push_back(ListItemAt(c));
    if (c.Consume(',')) continue;
    if (c.Consume(')')) return;
    c.Fail("\",\" or \")\"");
  }
}

// A Postgres array literal `{a,"b,c"}` as like(all)/like(any) patterns: items split on `,`,
// double quotes group and `\` escapes inside them, spaces around unquoted items are dropped.
void ArrayItems(Cursor& c, size_t start, std::string_view literal, std::vector<std::string>& out) {
  if (literal.size() < 2 || literal.front() != '{' || literal.back() != '}') {
    c.FailAt(start, "array literal ({a,b})");
  }
  Cursor items(literal.substr(1, literal.size() - 2), "filter");
  items.SkipSpaces();
  if (items.AtEnd()) return;
  for (;;) {
    items.SkipSpaces();
    std::string item;
    if (!(items.Peek() == '"' && QuotedAt(items, item))) {
      const size_t from = items.pos();
      size_t end = items.text().find(',', from);
      if (end == std::string_view::npos) end = items.text().size();
      std::string_view raw = items.text().substr(from, end - from);
      while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
      item = std::string(raw);
      items.set_pos(end);
    }
    out.push_back(std::move(item));
    items.SkipSpaces();
    if (items.AtEnd()) return;
    if (!items.Consume(',')) c.FailAt(start + 1 + items.pos(), "\",\" or \"}\"");
  }
}

bool IsTrilean(std::string_view v) {
  static constexpr std::array<std::string_view, 5> kValues = {"null", "not_null", "true", "false",
                                                              "unknown"};
  for (std::string_view want : kValues) {
    if (v.size() != want.size()) continue;
    bool same = true;
    for (size_t i = 0; i < v.size() && same; ++i) {
      same = (v[i] | 0x20) == want[i] || (v[i] == '_' && want[i] == '_');
    }
    if (same) return true;
  }
  return false;
}

void OperandAt(Cursor& c, Operation& op, bool in_logic_tree) {
  if (op.op == FilterOp::kIn) {
    InListAt(c, op.items);
    if (!in_logic_tree) c.SkipSpaces();
    return;
  }
  const size_t start = c.pos();
  if (in_logic_tree) {
    op.value = LogicValueAt(c);
  } else {
    op.value = std::string(c.text().substr(start));  // everything after `op.`, literally
    c.set_pos(c.text().size());
  }
  if (op.op == FilterOp::kIs && !IsTrilean(op.value)) {
    c.FailAt(start, "\"null\", \"not_null\", \"true\", \"false\" or \"unknown\"");
  }
  if (op.op == FilterOp::kLikeAll || op.op == FilterOp::kLikeAny || op.op == FilterOp::kIlikeAll ||
      op.op == FilterOp::kIlikeAny) {
    ArrayItems(c, start, c.text().substr(start, c.pos() - start), op.items);
  }
}

}  // namespace

bool AtOperator(const Cursor& c) {
  std::string_view word = WordAt(c);
  const char next =
      c.pos() + word.size() < c.text().size() ? c.text()[c.pos() + word.size()] : '\0';
  if (word == "not") return next == '.';
  return (next == '.' || next == '(') && FindOperator(word) != nullptr;
}

Operation OperationAt(Cursor& c, bool in_logic_tree) {
  Operation op;
  op.negated = c.Consume("not.");
  std::string_view word = WordAt(c);
  const OpName* found = FindOperator(word);
  if (found == nullptr) {
    c.Fail(op.negated ? "operator (eq, gt, ...)" : "\"not\" or operator (eq, gt, ...)");
  }
  op.op = found->op;
  c.Advance(word.size());
  if (c.Peek() == '(' && !c.AtEnd()) ModifierAt(c, op);
  if (!c.Consume('.')) c.Fail("delimiter (.)");
  OperandAt(c, op, in_logic_tree);
  return op;
}

}  // namespace ib::rest::internal

namespace ib::rest {

Operation ParseOperation(std::string_view value, bool in_logic_tree) {
  internal::Cursor c(value, "filter");
  Operation op = internal::OperationAt(c, in_logic_tree);
  if (in_logic_tree) c.SkipSpaces();
  if (!c.AtEnd()) c.Fail(in_logic_tree ? "\",\", \")\" or end of input" : "end of input");
  return op;
}

}  // namespace ib::rest
