// Internal to the query-string parsers (select_parser, operation_parser, logic_parser, ...):
// a cursor over one parameter value that raises PGRST100 in PostgREST's Parsec shape, plus the
// grammar pieces the parsers share (names, JSON paths, operations). Not for use outside
// server/rest/*_parser.cpp and query_params.cpp; pure string work, no state beyond the cursor.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "server/rest/api_request.h"

namespace ib::rest::internal {

// Deepest select embedding or logic-tree nesting we accept. Hostile inputs nest 50+ deep; the
// parsers recurse once per level, so this bound is also the stack bound.
inline constexpr int kMaxNesting = 64;

// Left-to-right reader of one parameter. Failures throw storage::Error PGRST100 with
// message `"failed to parse <what> (<text>)" (line 1, column N)` and details
// `unexpected "x" expecting <what was expected>`, as PostgREST renders Parsec errors.
class Cursor {
 public:
  // `what` is e.g. "select parameter", "filter", "logic tree"; `column_offset` shifts reported
  // columns (PostgREST parses `or` + value for logic trees, so its columns start later).
  Cursor(std::string_view text, std::string_view what, int column_offset = 0)
      : text_(text), what_(what), column_offset_(column_offset) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  // The byte `ahead` positions on, or '\0' past the end (check AtEnd() where NUL matters).
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool LookingAt(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }
  bool Consume(char c);
  bool Consume(std::string_view s);
  void Advance(size_t n = 1) { pos_ += n; }
  // PostgREST's `ws`: spaces and tabs only.
  void SkipSpaces();
  size_t pos() const { return pos_; }
  void set_pos(size_t pos) { pos_ = pos; }
  std::string_view text() const { return text_; }

  [[noreturn]] void Fail(std::string_view expecting) const { FailAt(pos_, expecting); }
  [[noreturn]] void FailAt(size_t pos, std::string_view expecting) const;
  // Like FailAt but `details` is used verbatim (no "unexpected ... expecting").
  [[noreturn]] void FailWith(size_t pos, std::string_view details) const;
  // Consumes `c` or fails with `expecting "c"`.
  void Expect(char c);

 private:
  std::string_view text_;
  std::string what_;
  size_t pos_ = 0;
  int column_offset_ = 0;
};

// Renders text the way Haskell's `show` does inside quotes (\" \\ and control escapes), with
// invalid UTF-8 replaced by U+FFFD so the error JSON stays valid.
std::string ShowText(std::string_view text);

// PostgREST's pIdentifier character: letter, digit, `_`, `$` or space (bytes >= 0x80 count as
// letters so UTF-8 names pass).
bool IsIdentifierChar(char c);

// pFieldName: `"quoted"` (backslash escapes the next char) or identifiers joined by `-` (a dash
// not followed by `>`), each identifier trimmed.
std::string FieldNameAt(Cursor& c);
// pIdentifier: one or more identifier chars, trimmed (casts, fts configs).
std::string IdentifierAt(Cursor& c);
// pJsonPath: zero or more `->key`, `->>key`, `->0`, `->-1`; `->>` must be the last step.
std::vector<JsonPathStep> JsonPathAt(Cursor& c);
// pField: spaces, field name, optional JSON path, spaces.
Field FieldAt(Cursor& c);
// `"..."` with backslash escapes; the cursor must be on the opening quote. Returns false (cursor
// unmoved) when the closing quote is missing.
bool QuotedAt(Cursor& c, std::string& out);

// pOpExpr: `[not.]op[(modifier)].operand`. At top level the operand is the rest of the text;
// inside a logic tree it ends at the next unquoted `,` or `)` (see logic_parser.cpp).
Operation OperationAt(Cursor& c, bool in_logic_tree);
// True when the cursor sits on `not.` or on an operator name followed by `.` or `(`: how a
// logic-tree condition tells its embed prefix (`comments.id.eq.1`) from its operator.
bool AtOperator(const Cursor& c);

}  // namespace ib::rest::internal
