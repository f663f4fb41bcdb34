// Dispatch of query parameters to their parsers (PostgREST's QueryParams.parse), plus the small
// value parsers: limit/offset and column lists. Keys are classified the way PostgREST does it:
// by the last dot-separated word (`endingIn`), so `comments.order` is an order for the embed
// `comments` and `not.or` a negated logic tree.
#include "server/rest/query_params.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "server/rest/query_params_internal.h"
#include "storage/error.h"

namespace ib::rest {
namespace {

using internal::Cursor;

// The embed path of a reserved key: the segments of `key` before the dot at `dot` (quoted
// segments may contain dots). Errors name the whole key, as PostgREST's tree-path parser does.
std::vector<std::string> EmbedSegments(std::string_view key, size_t dot) {
  Cursor c(key, "tree path");
  std::vector<std::string> segments;
  for (;;) {
    segments.push_back(internal::FieldNameAt(c));
    if (c.pos() == dot) return segments;
    if (c.pos() > dot || !c.Consume('.')) c.Fail("delimiter (.)");
  }
}

// pTreePath: `embed.embed.column->json->>path` -> ({embed, embed}, column with path).
std::pair<EmbedPath, Field> ParseTreePath(std::string_view key) {
  Cursor c(key, "tree path");
  EmbedPath path;
  Field field;
  for (;;) {
    field.name = internal::FieldNameAt(c);
    if (c.LookingAt("->")) {
      field.path = internal::JsonPathAt(c);
      break;
    }
    if (!c.Consume('.')) break;
    path.push_back(std::move(field.name));
  }
  // Stricter than PostgREST, which ignores whatever follows the path (`a->b.c`).
  if (!c.AtEnd()) c.Fail("delimiter (.), \"->\" or end of input");
  return {std::move(path), std::move(field)};
}

enum class KeyKind { kOther, kOrder, kLimit, kOffset, kOr, kAnd };

KeyKind Classify(std::string_view last_word) {
  if (last_word == "order") return KeyKind::kOrder;
  if (last_word == "limit") return KeyKind::kLimit;
  if (last_word == "offset") return KeyKind::kOffset;
  if (last_word == "or") return KeyKind::kOr;
  if (last_word == "and") return KeyKind::kAnd;
  return KeyKind::kOther;
}

// An embeddable reserved key: everything before the last word is the embed path; for logic
// trees a `not` just before `or`/`and` negates the tree (pLogicPath).
void AddEmbeddable(ApiRequest& req, KeyKind kind, std::string_view key, std::string_view value) {
  EmbedPath path;
  bool negated = false;
  const size_t dot = key.rfind('.');
  if (dot != std::string_view::npos) {
    path = EmbedSegments(key, dot);
    const bool logic = kind == KeyKind::kOr || kind == KeyKind::kAnd;
    if (logic && path.back() == "not") {
      negated = true;
      path.pop_back();
    }
  }
  switch (kind) {
    case KeyKind::kOrder:
      req.order[path] = ParseOrder(value);
      return;
    case KeyKind::kLimit:
      req.limit[path] = ParseNonNegative(value, key);
      return;
    case KeyKind::kOffset:
      req.offset[path] = ParseNonNegative(value, key);
      return;
    case KeyKind::kOr:
    case KeyKind::kAnd:
      req.logic.emplace_back(std::move(path),
                             ParseLogicTree(value, kind == KeyKind::kAnd, negated));
      return;
    case KeyKind::kOther:
      return;
  }
}

}  // namespace

ApiRequest ParseQueryParams(const std::vector<std::pair<std::string, std::string>>& params,
                            const std::function<bool(std::string_view)>& is_rpc_arg) {
  ApiRequest req;
  for (const auto& [key, value] : params) {
    if (key == "select") {
      if (req.has_select) continue;  // PostgREST looks `select` up once: the first one counts
      req.select = ParseSelect(value);
      req.has_select = true;
      continue;
    }
    if (key == "columns" || key == "on_conflict") {
      auto& slot = key == "columns" ? req.columns : req.on_conflict;
      if (!slot) slot = ParseColumnList(value, key);
      continue;
    }
    const size_t dot = key.rfind('.');
    const KeyKind kind = Classify(dot == std::string::npos ? std::string_view(key)
                                                           : std::string_view(key).substr(dot + 1));
    if (kind != KeyKind::kOther) {
      AddEmbeddable(req, kind, key, value);
      continue;
    }
    if (is_rpc_arg && is_rpc_arg(key)) {
      req.rpc_args.emplace_back(key, value);
      continue;
    }
    auto [path, field] = ParseTreePath(key);
    Filter filter;
    filter.field = std::move(field);
    filter.operation = ParseOperation(value, /*in_logic_tree=*/false);
    req.filters.emplace_back(std::move(path), std::move(filter));
  }
  return req;
}

int64_t ParseNonNegative(std::string_view value, std::string_view key) {
  Cursor c(value, std::string(key) + " parameter");
  if (c.AtEnd()) c.Fail("digit");
  int64_t n = 0;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  while (!c.AtEnd()) {
    const char ch = c.Peek();
    if (ch < '0' || ch > '9') c.Fail("digit");
    const int digit = ch - '0';
    if (n > (kMax - digit) / 10) c.FailWith(0, "number out of range");
    n = n * 10 + digit;
    c.Advance();
  }
  return n;
}

std::vector<std::string> ParseColumnList(std::string_view value, std::string_view key) {
  Cursor c(value, std::string(key) + " parameter");
  std::vector<std::string> names;
  for (;;) {
    c.SkipSpaces();
    const size_t at = c.pos();
    std::string name = internal::FieldNameAt(c);
    if (name.empty()) c.FailAt(at, "non-empty column name");
    names.push_back(std::move(name));
    c.SkipSpaces();
    if (c.AtEnd()) return names;
    if (!c.Consume(',')) c.Fail("\",\" or end of input");
  }
}

}  // namespace ib::rest
