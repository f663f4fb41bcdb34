// Parsing a postgres_changes filter. The grammar is Realtime's (split at the first '=', then at
// the first '.'); its refusals keep Realtime's wording where it has one ("Error parsing `filter`
// params: [...]", "invalid column for filter ..."), since the client shows them as they are.
// Every refusal text is short and valid UTF-8: it goes out inside a JSON `system` frame.
#include "server/realtime/change_filter.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <utility>

#include "storage/error.h"
#include "storage/regex.h"
#include "storage/utf8.h"
#include "storage/values.h"

namespace ib::realtime {

using storage::SqlValue;
using storage::ValueKind;
using Op = ChangeFilter::Op;
using Condition = ChangeFilter::Condition;

namespace {

// Client text echoed in a refusal is cut to this many bytes, so the frame stays small.
constexpr size_t kMaxEchoBytes = 64;

struct OpName {
  std::string_view name;
  Op op;
};

constexpr std::array<OpName, 13> kOperators = {{
    {"eq", Op::kEq},
    {"neq", Op::kNeq},
    {"lt", Op::kLt},
    {"lte", Op::kLte},
    {"gt", Op::kGt},
    {"gte", Op::kGte},
    {"in", Op::kIn},
    {"like", Op::kLike},
    {"ilike", Op::kIlike},
    {"match", Op::kMatch},
    {"imatch", Op::kImatch},
    {"is", Op::kIs},
    {"isdistinct", Op::kIsDistinct},
}};

std::optional<Op> FindOperator(std::string_view name) {
  for (const OpName& entry : kOperators) {
    if (entry.name == name) return entry.op;
  }
  return std::nullopt;
}

// `text` as valid UTF-8 of at most kMaxEchoBytes (then "..."), never cutting a character;
// `escape_quotes` puts a `\` before `"` and `\` (Elixir's inspect of a string), within the cap.
std::string Echo(std::string_view text, bool escape_quotes = false) {
  const std::string valid = storage::ToValidUtf8(text.substr(0, kMaxEchoBytes));
  std::string out;
  size_t i = 0;
  while (i < valid.size()) {
    const size_t n = std::max<size_t>(storage::Utf8SequenceLength(valid, i), 1);
    const bool escaped = escape_quotes && (valid[i] == '"' || valid[i] == '\\');
    if (out.size() + n + (escaped ? 1 : 0) > kMaxEchoBytes) break;
    if (escaped) out += '\\';
    out.append(valid, i, n);
    i += n;
  }
  if (i < valid.size() || text.size() > kMaxEchoBytes) out += "...";
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Realtime's refusal when the filter does not split as expected: its `inspect` of the pieces,
// e.g. `Error parsing `filter` params: ["foo", "1"]`.
FilterError Unparseable(std::initializer_list<std::string_view> pieces) {
  std::string list = "[";
  for (std::string_view piece : pieces) {
    if (list.size() > 1) list += ", ";
    list += '"' + Echo(piece, /*escape_quotes=*/true) + '"';
  }
  return FilterError{"Error parsing `filter` params: " + list + "]"};
}

FilterError Malformed(std::string_view why) {
  return FilterError{"Error parsing `filter` params: " + std::string(why)};
}

FilterError UnsupportedOn(std::string_view op, const storage::Column& column) {
  return FilterError{"operator " + std::string(op) + " is not supported on filter column " +
                     Echo(column.name) + " of type " + column.type.PgName()};
}

// Splits at each ',' outside double quotes and parentheses: `a=in.(1,2),b=eq."x,y"` is two.
// Stops after kMaxConditions + 1 pieces (enough to refuse).
std::vector<std::string_view> SplitConditions(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  size_t depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < text.size() && out.size() <= ChangeFilter::kMaxConditions; ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (c == ',' && depth == 0) {
      out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (out.size() <= ChangeFilter::kMaxConditions) out.push_back(text.substr(start));
  return out;
}

// `"..."` at the start of `text`, `\` escaping the next byte; returns the bytes consumed
// (0 when the closing quote is missing) and appends the unescaped content to `out`.
size_t QuotedAt(std::string_view text, std::string& out) {
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '"') return i + 1;
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out += text[i];
  }
  return 0;
}

// A single operand: taken as written, or unquoted when it is written in double quotes.
std::optional<FilterError> ScalarOperand(std::string_view raw, std::string& out) {
  if (raw.empty() || raw.front() != '"') {
    out.assign(raw);
    return std::nullopt;
  }
  const size_t used = QuotedAt(raw, out);
  if (used == 0) return Malformed("unterminated quoted value");
  if (used != raw.size()) return Malformed("text after a quoted value");
  return std::nullopt;
}

// `(a, "b,c", NULL)`, read the way Postgres reads the array literal `{...}` that Realtime turns
// it into: spaces around unquoted items are dropped and an unquoted NULL is a NULL item.
struct InItem {
  std::string text;
  bool null = false;
};
std::variant<std::vector<InItem>, FilterError> InOperand(std::string_view raw) {
  if (raw.size() < 2 || raw.front() != '(' || raw.back() != ')') {
    return Malformed("`in` filter value must be wrapped by parentheses");
  }
  std::string_view rest = raw.substr(1, raw.size() - 2);
  std::vector<InItem> items;
  if (Trim(rest).empty()) return items;
  for (;;) {
    if (items.size() == ChangeFilter::kMaxInValues) {
      return FilterError{"too many values for `in` filter. Maximum " +
                         std::to_string(ChangeFilter::kMaxInValues)};
    }
    rest = Trim(rest);
    InItem item;
    size_t end = 0;
    if (!rest.empty() && rest.front() == '"') {
      end = QuotedAt(rest, item.text);
      if (end == 0) return Malformed("unterminated quoted value in `in` list");
    } else {
      end = std::min(rest.find(','), rest.size());
      const std::string_view word = Trim(rest.substr(0, end));
      if (word.empty() || word.find('"') != std::string_view::npos) {
        return Malformed("malformed `in` list");
      }
      item.null =
          word.size() == 4 && std::equal(word.begin(), word.end(), "null", [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
          });
      item.text.assign(word);
    }
    items.push_back(std::move(item));
    rest = Trim(rest.substr(end));
    if (rest.empty()) return items;
    if (rest.front() != ',') return Malformed("malformed `in` list");
    rest.remove_prefix(1);
  }
}

// The type an operand is read as: the column's, except that a numeric(p,s) or varchar(n)
// operand is not rounded or length-checked (Postgres compares `score > 1000` on a
// numeric(5,2) column without overflow, and a too-long varchar operand just matches nothing).
storage::ColumnType OperandType(const storage::Column& column) {
  storage::ColumnType t = column.type;
  t.precision = 0;
  t.scale = -1;
  t.length = 0;
  return t;
}

std::optional<FilterError> Convert(const storage::Column& column, std::string_view text,
                                   SqlValue& out) {
  try {
    out = storage::FromText(OperandType(column), text);
    return std::nullopt;
  } catch (const storage::Error&) {
    return FilterError{"invalid value for filter " + Echo(column.name) + " of type " +
                       column.type.PgName()};
  }
}

bool IsTextColumn(const storage::Column& column) {
  return column.type.kind == ValueKind::kText || column.type.kind == ValueKind::kVarchar;
}

// A LIKE pattern as an anchored regex: `%` (and `*`, PostgREST's URL-friendly spelling) is any
// run, `_` one character, `\` makes the next character literal. RE2 then matches in linear time.
std::optional<std::string> LikeToRegex(std::string_view like) {
  std::string re = "\\A";
  std::string literal;
  auto flush = [&] {
    re += RE2::QuoteMeta(literal);
    literal.clear();
  };
  for (size_t i = 0; i < like.size(); ++i) {
    const char c = like[i];
    if (c == '\\') {
      if (++i == like.size()) return std::nullopt;
      literal += like[i];
    } else if (c == '_') {
      flush();
      re += '.';
    } else if (c == '%' || c == '*') {
      flush();
      // `%%` means `%`: one `.*` keeps the regex within its size bound.
      if (re.size() < 2 || re.compare(re.size() - 2, 2, ".*") != 0) re += ".*";
    } else {
      literal += c;
    }
  }
  flush();
  return re + "\\z";
}

// like/ilike/match/imatch: the compiled pattern, or why not.
std::variant<std::shared_ptr<const re2::RE2>, FilterError> CompilePattern(
    Op op, const storage::Column& column, const std::string& pattern) {
  const bool like = op == Op::kLike || op == Op::kIlike;
  std::string regex = pattern;
  if (like) {
    std::optional<std::string> translated = LikeToRegex(pattern);
    if (!translated) return Malformed("LIKE pattern must not end with escape character");
    regex = std::move(*translated);
  }
  std::string reason;
  storage::CompiledRegex re =
      storage::CompileRegex(regex, op == Op::kIlike || op == Op::kImatch, &reason);
  if (!re) {
    return FilterError{std::string(like ? "invalid LIKE pattern" : "invalid regular expression") +
                       " for filter " + Echo(column.name) + ": " + Echo(reason)};
  }
  return std::shared_ptr<const re2::RE2>(std::move(re));
}

std::optional<FilterError> ReadIs(std::string_view word, const storage::Column& column,
                                  Condition& c) {
  std::string keyword(word);
  std::transform(keyword.begin(), keyword.end(), keyword.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (keyword != "null" && keyword != "true" && keyword != "false" && keyword != "unknown") {
    return Malformed("`is` takes null, true, false or unknown");
  }
  // Postgres has IS TRUE / FALSE / UNKNOWN for booleans only.
  if (keyword != "null" && column.type.kind != ValueKind::kBool) {
    return UnsupportedOn("is." + keyword, column);
  }
  if (keyword == "true" || keyword == "false") {
    c.values.emplace_back(int64_t{keyword == "true" ? 1 : 0});
  } else {
    c.values.emplace_back(std::monostate{});
  }
  c.is_keyword = std::move(keyword);
  return std::nullopt;
}

struct Parsed {
  Condition condition;
  std::shared_ptr<const re2::RE2> pattern;
};

// `<column>=[not.]<op>.<value>`.
std::variant<Parsed, FilterError> ParseCondition(std::string_view text,
                                                 const storage::Table& table) {
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos) return Unparseable({text});
  const std::string_view name = Trim(text.substr(0, eq));
  std::string_view rest = text.substr(eq + 1);
  Parsed p;
  Condition& c = p.condition;
  size_t dot = rest.find('.');
  if (dot != std::string_view::npos && rest.substr(0, dot) == "not") {
    c.negated = true;
    rest.remove_prefix(dot + 1);
    dot = rest.find('.');
  }
  if (dot == std::string_view::npos) return Unparseable({rest});
  const std::string_view op_name = rest.substr(0, dot);
  const std::string_view operand = rest.substr(dot + 1);
  const std::optional<Op> op = FindOperator(op_name);
  if (!op) return Unparseable({op_name, operand});
  c.op = *op;

  const storage::Column* column = table.FindColumn(name);
  if (!column) return FilterError{"invalid column for filter " + Echo(name)};
  // Computed when read, so absent from the change record: a filter on it could never match.
  if (table.IsComputed(name)) {
    return FilterError{"invalid column for filter " + Echo(name) + ": it is computed when read"};
  }
  c.column = column->name;
  c.type = &column->type;

  if (c.op == Op::kIn) {
    auto items = InOperand(operand);
    if (auto* error = std::get_if<FilterError>(&items)) return std::move(*error);
    for (const InItem& item : std::get<std::vector<InItem>>(items)) {
      SqlValue& value = c.values.emplace_back();
      if (item.null) continue;
      if (auto error = Convert(*column, item.text, value)) return std::move(*error);
    }
    return p;
  }
  std::string value;
  if (auto error = ScalarOperand(operand, value)) return std::move(*error);
  switch (c.op) {
    case Op::kIs:
      if (auto error = ReadIs(value, *column, c)) return std::move(*error);
      return p;
    case Op::kLike:
    case Op::kIlike:
    case Op::kMatch:
    case Op::kImatch: {
      if (!IsTextColumn(*column)) return UnsupportedOn(op_name, *column);
      auto compiled = CompilePattern(c.op, *column, value);
      if (auto* error = std::get_if<FilterError>(&compiled)) return std::move(*error);
      p.pattern = std::get<std::shared_ptr<const re2::RE2>>(std::move(compiled));
      c.pattern = std::move(value);
      return p;
    }
    default:
      if (auto error = Convert(*column, value, c.values.emplace_back())) return std::move(*error);
      return p;
  }
}

}  // namespace

std::variant<ChangeFilter, FilterError> ChangeFilter::Parse(std::string_view text,
                                                            const storage::Table& table) {
  if (text.size() > kMaxFilterBytes) {
    return FilterError{"filter is longer than " + std::to_string(kMaxFilterBytes) + " bytes"};
  }
  ChangeFilter filter;
  text = Trim(text);
  if (text.empty()) return filter;
  const std::vector<std::string_view> pieces = SplitConditions(text);
  if (pieces.size() > kMaxConditions) {
    return FilterError{"filter has more than " + std::to_string(kMaxConditions) + " conditions"};
  }
  for (std::string_view piece : pieces) {
    auto parsed = ParseCondition(piece, table);
    if (auto* error = std::get_if<FilterError>(&parsed)) return std::move(*error);
    Parsed& p = std::get<Parsed>(parsed);
    filter.conditions_.push_back(std::move(p.condition));
    filter.patterns_.push_back(std::move(p.pattern));
  }
  return filter;
}

}  // namespace ib::realtime
