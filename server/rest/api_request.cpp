// ToString() for the ApiRequest syntax tree: a deterministic, query-string-like rendering for
// test expectations and logs. Names that are not plain identifiers are double-quoted (with `"`
// and `\` escaped), so `"my col"` and `my col` print differently; filter values print raw.
#include "server/rest/api_request.h"

#include <string>
#include <string_view>

namespace ib::rest {
namespace {

bool IsPlainName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '$' || u >= 0x80;
    if (!ok) return false;
  }
  return true;
}

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Name(std::string_view s) { return IsPlainName(s) ? std::string(s) : Quoted(s); }

// A JSON key made only of digits is quoted so it cannot be mistaken for an index.
std::string JsonKey(const JsonPathStep& step) {
  if (step.is_index) return step.key;
  const bool digits = step.key.find_first_not_of("0123456789") == std::string::npos;
  return digits ? Quoted(step.key) : Name(step.key);
}

// `in` items and like(all) patterns: quoted when empty or holding list syntax or edge spaces.
std::string Item(std::string_view s) {
  const bool plain = !s.empty() && s.find_first_of(",(){}\"\\") == std::string_view::npos &&
                     s.front() != ' ' && s.back() != ' ';
  return plain ? std::string(s) : Quoted(s);
}

// `brackets` is the pair around the list: "()" for in, "{}" for like(all) patterns.
std::string Items(const std::vector<std::string>& items, std::string_view brackets) {
  std::string out(1, brackets[0]);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += Item(items[i]);
  }
  return out + brackets[1];
}

template <typename T>
std::string Join(const std::vector<T>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i].ToString();
  }
  return out;
}

std::string PathPrefix(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& segment : path) out += Name(segment) + ".";
  return out;
}

std::string ChildrenToString(const LogicTree& tree) {
  std::string out = "(";
  for (size_t i = 0; i < tree.children.size(); ++i) {
    if (i > 0) out += ',';
    const LogicNode& node = tree.children[i];
    if (const auto* filter = std::get_if<Filter>(&node)) {
      out += filter->ToString();
    } else {
      out += std::get<std::unique_ptr<LogicTree>>(node)->ToString();
    }
  }
  return out + ")";
}

std::string LogicHead(const LogicTree& tree) {
  return std::string(tree.negated ? "not." : "") + (tree.is_and ? "and" : "or");
}

void AppendPart(std::string& out, const std::string& part) {
  if (!out.empty()) out += '&';
  out += part;
}

}  // namespace

// One operator per line reads as a table, so clang-format is kept off it.
const char* FilterOpName(FilterOp op) {
  // clang-format off
  switch (op) {
    case FilterOp::kEq: return "eq";
    case FilterOp::kNeq: return "neq";
    case FilterOp::kGt: return "gt";
    case FilterOp::kGte: return "gte";
    case FilterOp::kLt: return "lt";
    case FilterOp::kLte: return "lte";
    case FilterOp::kLike: return "like";
    case FilterOp::kIlike: return "ilike";
    case FilterOp::kMatch: return "match";
    case FilterOp::kImatch: return "imatch";
    case FilterOp::kIs: return "is";
    case FilterOp::kIsDistinct: return "isdistinct";
    case FilterOp::kIn: return "in";
    case FilterOp::kCs: return "cs";
    case FilterOp::kCd: return "cd";
    case FilterOp::kOv: return "ov";
    case FilterOp::kSl: return "sl";
    case FilterOp::kSr: return "sr";
    case FilterOp::kNxl: return "nxl";
    case FilterOp::kNxr: return "nxr";
    case FilterOp::kAdj: return "adj";
    case FilterOp::kFts: return "fts";
    case FilterOp::kPlfts: return "plfts";
    case FilterOp::kPhfts: return "phfts";
    case FilterOp::kWfts: return "wfts";
    case FilterOp::kLikeAll: return "like(all)";
    case FilterOp::kLikeAny: return "like(any)";
    case FilterOp::kIlikeAll: return "ilike(all)";
    case FilterOp::kIlikeAny: return "ilike(any)";
  }
  // clang-format on
  return "?";
}

std::string Field::ToString() const {
  std::string out = Name(name);
  for (const JsonPathStep& step : path) out += (step.as_text ? "->>" : "->") + JsonKey(step);
  return out;
}

std::string SelectItem::ToString() const {
  if (kind == Kind::kStar) return "*";
  std::string out = alias.empty() ? "" : Name(alias) + ":";
  if (kind == Kind::kColumn) return out + field.ToString() + (cast.empty() ? "" : "::" + cast);
  if (spread) out = "..." + out;
  out += Name(relation);
  if (!hint.empty()) out += "!" + Name(hint);
  if (join == JoinType::kInner) out += "!inner";
  if (join == JoinType::kLeft) out += "!left";
  return out + "(" + Join(children, ",") + ")";
}

std::string Operation::ToString() const {
  std::string out = negated ? "not." : "";
  out += FilterOpName(op);
  if (!fts_config.empty()) out += "(" + fts_config + ")";
  out += '.';
  switch (op) {
    case FilterOp::kIn:
      return out + Items(items, "()");
    case FilterOp::kLikeAll:
    case FilterOp::kLikeAny:
    case FilterOp::kIlikeAll:
    case FilterOp::kIlikeAny:
      return out + Items(items, "{}");
    default:
      return out + value;
  }
}

std::string Filter::ToString() const {
  return PathPrefix(embed_path) + field.ToString() + "." + operation.ToString();
}

std::string LogicTree::ToString() const { return LogicHead(*this) + ChildrenToString(*this); }

std::string OrderTerm::ToString() const {
  std::string out =
      relation.empty() ? field.ToString() : Name(relation) + "(" + field.ToString() + ")";
  out += descending ? ".desc" : ".asc";
  if (nulls_first) out += *nulls_first ? ".nullsfirst" : ".nullslast";
  return out;
}

std::string ApiRequest::ToString() const {
  std::string out;
  if (has_select) AppendPart(out, "select=" + Join(select, ","));
  for (const auto& [path, filter] : filters) {
    AppendPart(out, PathPrefix(path) + filter.field.ToString() + "=" + filter.operation.ToString());
  }
  for (const auto& [path, tree] : logic) {
    AppendPart(out, PathPrefix(path) + LogicHead(tree) + "=" + ChildrenToString(tree));
  }
  for (const auto& [path, terms] : order) {
    AppendPart(out, PathPrefix(path) + "order=" + Join(terms, ","));
  }
  for (const auto& [path, n] : limit) {
    AppendPart(out, PathPrefix(path) + "limit=" + std::to_string(n));
  }
  for (const auto& [path, n] : offset) {
    AppendPart(out, PathPrefix(path) + "offset=" + std::to_string(n));
  }
  const auto names = [](const std::vector<std::string>& list) {
    std::string joined;
    for (const std::string& n : list) joined += (joined.empty() ? "" : ",") + Name(n);
    return joined;
  };
  if (columns) AppendPart(out, "columns=" + names(*columns));
  if (on_conflict) AppendPart(out, "on_conflict=" + names(*on_conflict));
  for (const auto& [name, value] : rpc_args) {
    std::string part = "rpc:" + name;
    part += '=';
    part += value;
    AppendPart(out, part);
  }
  return out;
}

std::string Preferences::ToString() const {
  std::string out;
  const auto add = [&out](const std::string& token) { out += (out.empty() ? "" : ",") + token; };
  static constexpr const char* kReturn[] = {"", "return=minimal", "return=headers-only",
                                            "return=representation"};
  static constexpr const char* kCount[] = {"", "count=exact", "count=planned", "count=estimated"};
  static constexpr const char* kResolution[] = {"", "resolution=merge-duplicates",
                                                "resolution=ignore-duplicates"};
  if (return_pref != ReturnPreference::kUnset) add(kReturn[static_cast<int>(return_pref)]);
  if (count != CountPreference::kNone) add(kCount[static_cast<int>(count)]);
  if (resolution != Resolution::kNone) add(kResolution[static_cast<int>(resolution)]);
  if (missing_default) add("missing=default");
  if (handling_strict) add("handling=strict");
  if (max_affected) add("max-affected=" + std::to_string(*max_affected));
  if (tx_rollback) add("tx=rollback");
  return out;
}

}  // namespace ib::rest
