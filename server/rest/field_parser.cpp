// The cursor and the name grammar every query-string parser shares: field names, identifiers,
// JSON paths. Rules copied from PostgREST's ApiRequest/QueryParams.hs (pFieldName, pIdentifier,
// pJsonPath, pQuotedValue) and noted where we are stricter.
#include <cctype>
#include <string>
#include <string_view>

#include "server/rest/query_params.h"
#include "server/rest/query_params_internal.h"
#include "storage/error.h"
#include "storage/text.h"

namespace ib::rest::internal {
namespace {

// Length of a well-formed UTF-8 sequence starting at s[i], or 0 when it is malformed.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
  if (b0 < 0xC2 || b0 > 0xF4 || i + len > s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  // Reject overlong 3/4-byte forms, surrogates and code points above U+10FFFF.
  if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 > 0x9F) || (b0 == 0xF0 && b1 < 0x90) ||
      (b0 == 0xF4 && b1 > 0x8F)) {
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return len;
}

// Characters a bare JSON key may hold: PostgREST's pJsonKeyIdentifier is noneOf "(-:.,>)".
bool IsJsonKeyChar(char c) { return std::string_view("(-:.,>)").find(c) == std::string_view::npos; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// PostgREST's sepByDash: parts joined by `-` where the dash is not the start of `->`.
template <typename PartFn>
std::string SepByDash(Cursor& c, PartFn part) {
  std::string out = part(c);
  while (c.Peek() == '-' && c.Peek(1) != '>' && !c.AtEnd()) {
    c.Advance();
    out += '-';
    out += part(c);
  }
  return out;
}

std::string IdentifierPart(Cursor& c) {
  const size_t start = c.pos();
  while (!c.AtEnd() && IsIdentifierChar(c.Peek())) c.Advance();
  std::string_view part = storage::Trim(c.text().substr(start, c.pos() - start), " ");
  if (part.empty()) c.FailAt(start, "field name (* or [a..z0..9_$])");
  return std::string(part);
}

std::string JsonKeyPart(Cursor& c) {
  const size_t start = c.pos();
  while (!c.AtEnd() && IsJsonKeyChar(c.Peek())) c.Advance();
  std::string_view part = storage::Trim(c.text().substr(start, c.pos() - start), " ");
  if (part.empty()) c.FailAt(start, "any non reserved character different from: .,>()");
  return std::string(part);
}

JsonPathStep JsonOperandAt(Cursor& c, bool as_text) {
  JsonPathStep step;
  step.as_text = as_text;
  if (c.Peek() == '"' && !c.AtEnd()) {
    if (!QuotedAt(c, step.key)) c.FailAt(c.text().size(), "\"\\\"\"");
    return step;  // a quoted key is always a key, even "0"
  }
  if (c.Peek() == '-' && IsDigit(c.Peek(1))) {  // negative index: `->-1` counts from the end
    const size_t start = c.pos();
    c.Advance();
    while (IsDigit(c.Peek())) c.Advance();
    const bool at_end = c.AtEnd() || c.LookingAt("->") || c.LookingAt("::") || c.Peek() == '.' ||
                        c.Peek() == ',' || c.Peek() == ')' || c.Peek() == ' ';
    if (!at_end) c.Fail("digit, \"->\", \"::\", \".\", \",\" or end of input");
    step.key = std::string(c.text().substr(start, c.pos() - start));
    step.is_index = true;
    return step;
  }
  step.key = SepByDash(c, JsonKeyPart);
  step.is_index = step.key.find_first_not_of("0123456789") == std::string::npos;
  return step;
}

}  // namespace

bool Cursor::Consume(char c) {
  if (AtEnd() || text_[pos_] != c) return false;
  ++pos_;
  return true;
}

bool Cursor::Consume(std::string_view s) {
  if (!LookingAt(s)) return false;
  pos_ += s.size();
  return true;
}

void Cursor::SkipSpaces() {
  while (!AtEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
}

void Cursor::Expect(char c) {
  if (!Consume(c)) Fail(std::string("\"") + c + "\"");
}

void Cursor::FailAt(size_t pos, std::string_view expecting) const {
  std::string details = "unexpected ";
  if (pos >= text_.size()) {
    details += "end of input";
  } else {
    const size_t len = Utf8Length(text_, pos);
    details += "\"" + ShowText(text_.substr(pos, len == 0 ? 1 : len)) + "\"";
  }
  if (!expecting.empty()) details += " expecting " + std::string(expecting);
  FailWith(pos, details);
}

void Cursor::FailWith(size_t pos, std::string_view details) const {
  // Parsec counts characters, not bytes: count UTF-8 lead bytes before `pos`.
  long column = 1 + column_offset_;
  for (size_t i = 0; i < pos && i < text_.size(); ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  throw storage::Error::ParseFailure("\"failed to parse " + what_ + " (" + ShowText(text_) +
                                         ")\" (line 1, column " + std::to_string(column) + ")",
                                     details);
}

std::string ShowText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    const size_t len = Utf8Length(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD, as a lenient UTF-8 decode would give
      ++i;
      continue;
    }
    if (len > 1) {
      out.append(text.substr(i, len));
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      out += "\\" + std::to_string(static_cast<unsigned char>(c));  // Haskell's \DDD form
    } else {
      out += c;
    }
    i += len;
  }
  return out;
}

bool IsIdentifierChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || c == ' ' || u >= 0x80;
}

bool QuotedAt(Cursor& c, std::string& out) {
  std::string_view text = c.text();
  std::string value;
  for (size_t i = c.pos() + 1; i < text.size(); ++i) {
    if (text[i] == '"') {
      out = std::move(value);
      c.set_pos(i + 1);
      return true;
    }
    if (text[i] == '\\' && ++i == text.size()) break;  // `\` escapes whatever follows
    value += text[i];
  }
  return false;
}

std::string FieldNameAt(Cursor& c) {
  if (c.Peek() == '"' && !c.AtEnd()) {
    std::string name;
    if (!QuotedAt(c, name)) c.FailAt(c.text().size(), "\"\\\"\"");
    return name;
  }
  return SepByDash(c, IdentifierPart);
}

std::string IdentifierAt(Cursor& c) {
  const size_t start = c.pos();
  while (!c.AtEnd() && IsIdentifierChar(c.Peek())) c.Advance();
  std::string_view id = storage::Trim(c.text().substr(start, c.pos() - start), " ");
  if (id.empty()) c.FailAt(start, "letter or digit");
  return std::string(id);
}

std::vector<JsonPathStep> JsonPathAt(Cursor& c) {
  std::vector<JsonPathStep> steps;
  while (c.LookingAt("->")) {
    // Stricter than PostgREST: `a->>b->c` would apply `->` to text and fail in Postgres with
    // 42883; refusing it here keeps as_text on the last step only, as api_request.h promises.
    if (!steps.empty() && steps.back().as_text) {
      c.FailWith(c.pos(), "unexpected \"->\" after \"->>\"; \"->>\" must be the last JSON step");
    }
    const bool as_text = c.Consume("->>");
    if (!as_text) c.Advance(2);
    steps.push_back(JsonOperandAt(c, as_text));
  }
  return steps;
}

Field FieldAt(Cursor& c) {
  Field field;
  c.SkipSpaces();
  field.name = FieldNameAt(c);
  field.path = JsonPathAt(c);
  c.SkipSpaces();
  return field;
}

}  // namespace ib::rest::internal

namespace ib::rest {

Field ParseField(std::string_view text) {
  internal::Cursor c(text, "field");
  Field field = internal::FieldAt(c);
  if (!c.AtEnd()) c.Fail("\"->\", \"->>\" or end of input");
  return field;
}

}  // namespace ib::rest
