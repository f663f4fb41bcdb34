// `order=` (docs/wire.md), PostgREST's pOrder: terms `field[->path][.asc|.desc]
// [.nullsfirst|.nullslast]` or `relation(field).desc` separated by `,`. Any other modifier is a
// PGRST100, as in PostgREST (`id.ac` -> expecting "asc", "desc", "nullsfirst" or "nullslast").
#include <string>
#include <string_view>
#include <utility>

#include "server/rest/query_params.h"
#include "server/rest/query_params_internal.h"
#include "storage/error.h"

namespace ib::rest::internal {
namespace {

bool NullsAt(Cursor& c, OrderTerm& term) {
  if (c.Consume("nullsfirst")) {
    term.nulls_first = true;
  } else if (c.Consume("nullslast")) {
    term.nulls_first = false;
  } else {
    return false;
  }
  return true;
}

// `.asc`, `.desc`, `.nullsfirst`, `.asc.nullslast`, ... after the field.
void ModifiersAt(Cursor& c, OrderTerm& term) {
  if (!c.Consume('.')) return;
  if (c.Consume("asc")) {
    term.descending = false;
  } else if (c.Consume("desc")) {
    term.descending = true;
  } else {
    if (!NullsAt(c, term)) c.Fail("\"asc\", \"desc\", \"nullsfirst\" or \"nullslast\"");
    return;
  }
  if (c.Consume('.') && !NullsAt(c, term)) c.Fail("\"nullsfirst\" or \"nullslast\"");
}

OrderTerm TermAt(Cursor& c) {
  OrderTerm term;
  c.SkipSpaces();
  std::string name = FieldNameAt(c);
  if (c.Consume('(')) {  // `author(name)`: a to-one embed's column (pOrderRelationTerm)
    term.relation = std::move(name);
    term.field = FieldAt(c);
    c.Expect(')');
  } else {
    term.field.name = std::move(name);
    term.field.path = JsonPathAt(c);
  }
  ModifiersAt(c, term);
  c.SkipSpaces();
  if (!c.AtEnd() && c.Peek() != ',') {
    c.Fail(term.nulls_first ? "\",\" or end of input" : "delimiter (.), \",\" or end of input");
  }
  return term;
}

}  // namespace
}  // namespace ib::rest::internal

namespace ib::rest {

std::vector<OrderTerm> ParseOrder(std::string_view order) {
  internal::Cursor c(order, "order");
  std::vector<OrderTerm> terms;
  do {
    terms.push_back(internal::TermAt(c));
  } while (c.Consume(','));
  return terms;
}

}  // namespace ib::rest
