// PostgREST request shapes as supabase-js 2.x (postgrest-js) sends them: select with embeds,
// filters, logic trees, order and paging; insert, upsert, update, delete, PUT; rpc by POST,
// GET and HEAD; count and single-object Accept. Embeds nest at most three deep (deeper nesting
// is refused by the planner, which the e2e limits tests cover).
#include <string>

#include "tests/livefuzz/gen.h"

namespace ib::livefuzz {
namespace {

const Table* FindTable(const std::string& name) {
  for (const auto& t : PublicTables()) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

// A jsonb column of `t`, or "" when it has none.
std::string JsonColumn(Gen& g, const Table& t) {
  std::vector<const char*> json;
  for (const Column& c : t.columns) {
    if (c.kind == 'j') json.push_back(c.name);
  }
  return json.empty() ? "" : g.rng.Pick(json);
}

// col, col->key, col->>key, col->0->>key. Paths go mostly on jsonb columns; now and then on
// any column (refused 42883 unless it is json).
std::string FieldPath(Gen& g, const Table& t) {
  std::string out = JsonColumn(g, t);
  if (g.rng.Chance(10)) out = g.ColumnName(t);
  if (out.empty() || g.rng.Chance(75)) return g.ColumnName(t);
  for (size_t i = 0, n = 1 + g.rng.Below(3); i < n; ++i) {
    out += g.rng.Chance(50) ? "->" : "->>";
    out += g.rng.Chance(30) ? std::to_string(g.rng.Below(3)) : g.Word();
  }
  return out;
}

std::string SelectList(Gen& g, const Table& t, int depth);

std::string EmbedItem(Gen& g, const Table& t, int depth) {
  std::string child =
      !t.children.empty() && g.rng.Chance(80) ? g.rng.Pick(t.children) : g.TableName();
  std::string item;
  if (g.rng.Chance(15)) item += g.Word() + ":";
  if (g.rng.Chance(8)) item += "...";
  item += child;
  static const std::vector<std::string> kHints = {"!inner",   "!left", "!interview_id",
                                                  "!user_id", "!nope", "!inner!left"};
  if (g.rng.Chance(25)) item += g.rng.Pick(kHints);
  const Table* ct = FindTable(child);
  item += "(" + (ct ? SelectList(g, *ct, depth + 1) : std::string("*")) + ")";
  return item;
}

std::string SelectItem(Gen& g, const Table& t, int depth) {
  static const std::vector<std::string> kCasts = {"text",  "int",  "integer", "numeric", "json",
                                                  "jsonb", "bool", "nope",    "text[]",  "uuid"};
  static const std::vector<std::string> kAggregates = {"count()", "sum()", "avg()",
                                                       "max()",   "min()", "nope()"};
  switch (g.rng.Below(10)) {
    case 0:
      return "*";
    case 1:
      return g.Word() + ":" + FieldPath(g, t);
    case 2:
      return FieldPath(g, t) + "::" + g.rng.Pick(kCasts);
    case 3:
      return g.rng.Chance(50) ? "count()" : g.ColumnName(t) + "." + g.rng.Pick(kAggregates);
    case 4:
    case 5:
      if (depth < 3) return EmbedItem(g, t, depth);
      return g.ColumnName(t);
    default:
      return FieldPath(g, t);
  }
}

std::string SelectList(Gen& g, const Table& t, int depth) {
  std::string out;
  for (size_t i = 0, n = 1 + g.rng.Below(depth == 0 ? 5 : 3); i < n; ++i) {
    if (i) out += g.rng.Chance(95) ? "," : " , ";
    out += SelectItem(g, t, depth);
  }
  return out;
}

std::string Operand(Gen& g, const std::string& op, char kind) {
  if (op == "in") {
    std::string list = "(";
    for (size_t i = 0, n = g.rng.Below(4); i < n; ++i) {
      if (i) list += ",";
      std::string v = g.ValueFor(kind);
      list += g.rng.Chance(20) ? "\"" + v + "\"" : v;
    }
    return list + (g.rng.Chance(95) ? ")" : "");
  }
  if (op == "is") {
    static const std::vector<std::string> kIs = {"null", "true",     "false", "unknown",
                                                 "NULL", "not_null", "1"};
    return g.rng.Pick(kIs);
  }
  if (op == "cs" || op == "cd" || op == "ov") {
    return g.rng.Chance(50) ? "{" + g.Word() + "," + g.ValueFor(kind) + "}"
                            : "[\"" + g.Word() + "\"]";
  }
  if (op == "match" || op == "imatch") {
    // Mostly valid patterns; some that RE2 refuses (400 2201B).
    static const std::vector<std::string> kPatterns = {
        "^Sess", "a.c", "[0-9]+", "(x|y)z", "\\d", "a{2,3}", ".*", "", "(", "[", "(a)\\1", "(?=a)"};
    return g.rng.Pick(kPatterns);
  }
  if (op.find("fts") != std::string::npos) return g.Word() + (g.rng.Chance(30) ? " & b" : "");
  if (op == "like" || op == "ilike") return "*" + g.ValueFor(kind) + "*";
  return g.ValueFor(kind);
}

std::string Condition(Gen& g, const Table& t, bool in_tree) {
  static const std::vector<std::string> kOps = {
      "eq",     "eq", "neq", "gt",         "gte", "lt",  "lte",  "like",      "ilike",  "match",
      "imatch", "in", "is",  "isdistinct", "cs",  "cd",  "ov",   "fts",       "plfts",  "phfts",
      "wfts",   "sl", "sr",  "nxl",        "nxr", "adj", "nope", "like(any)", "eq(all)"};
  const Column& c = g.AnyColumn(t);
  std::string op = g.rng.Pick(kOps);
  std::string cond;
  if (in_tree) cond = (g.rng.Chance(90) ? std::string(c.name) : FieldPath(g, t)) + ".";
  if (g.rng.Chance(12)) cond += "not.";
  if (op == "fts" && g.rng.Chance(30)) op += "(english)";
  cond += op + "." + Operand(g, op, c.kind);
  return cond;
}

std::string LogicTree(Gen& g, const Table& t, int depth) {
  std::string out = "(";
  for (size_t i = 0, n = 1 + g.rng.Below(4); i < n; ++i) {
    if (i) out += ",";
    if (depth < 3 && g.rng.Chance(20)) {
      out += std::string(g.rng.Chance(20) ? "not." : "") + (g.rng.Chance(50) ? "or" : "and") +
             LogicTree(g, t, depth + 1);
    } else {
      out += Condition(g, t, true);
    }
  }
  return out + ")";
}

void AddFilters(Gen& g, const Table& t, Request& r, size_t max_filters) {
  for (size_t i = 0, n = g.rng.Below(max_filters + 1); i < n; ++i) {
    switch (g.rng.Below(8)) {
      case 0: {
        static const std::vector<std::string> kTrees = {"or", "and", "not.or", "not.and"};
        r.params.emplace_back(g.rng.Pick(kTrees), LogicTree(g, t, 0));
        break;
      }
      case 1:
        if (!t.children.empty()) {
          const Table* child = FindTable(g.rng.Pick(t.children));
          r.params.emplace_back(std::string(child->name) + "." + g.AnyColumn(*child).name,
                                Condition(g, *child, false));
          break;
        }
        [[fallthrough]];
      case 2:
        r.params.emplace_back(FieldPath(g, t), Condition(g, t, false));
        break;
      default: {
        // The filters the platform really sends: its own id, user_id, status, title.
        const Column& c = g.AnyColumn(t);
        r.params.emplace_back(c.name, "eq." + g.ValueFor(c.kind));
      }
    }
  }
}

std::string OrderList(Gen& g, const Table& t) {
  static const std::vector<std::string> kDirs = {
      "", ".asc", ".desc", ".desc.nullslast", ".asc.nullsfirst", ".nope", ".desc.asc"};
  std::string out;
  for (size_t i = 0, n = 1 + g.rng.Below(3); i < n; ++i) {
    if (i) out += ",";
    out += FieldPath(g, t) + g.rng.Pick(kDirs);
  }
  return out;
}

std::string Paging(Gen& g) {
  static const std::vector<std::string> kOdd = {
      "-1", "0", "1000000", "abc", "", "99999999999999999999", "1.5", " 2"};
  return g.rng.Chance(85) ? std::to_string(g.rng.Below(30)) : g.rng.Pick(kOdd);
}

void AddReadHeaders(Gen& g, Request& r) {
  static const std::vector<std::string> kAccept = {
      "application/json",
      "application/json",
      "application/vnd.pgrst.object+json",
      "text/csv",
      "*/*",
      "application/geo+json",
      "application/vnd.pgrst.plan+json",
      "text/html",
      "application/vnd.pgrst.object+json;nulls=stripped",
      "application/json;q=0.5, text/csv"};
  static const std::vector<std::string> kCount = {"count=exact", "count=planned", "count=estimated",
                                                  "count=nope"};
  if (g.rng.Chance(50)) r.headers.emplace_back("Accept", g.rng.Pick(kAccept));
  if (g.rng.Chance(30)) r.headers.emplace_back("Prefer", g.rng.Pick(kCount));
  if (g.rng.Chance(15)) {
    static const std::vector<std::string> kRanges = {
        "0-9", "5-", "0-0", "10-5", "-5", "a-b", "0-999999999999", "items=0-9"};
    r.headers.emplace_back("Range", g.rng.Pick(kRanges));
    if (g.rng.Chance(70)) r.headers.emplace_back("Range-Unit", "items");
  }
}

std::string RowObject(Gen& g, const Table& t, bool with_id) {
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::string& key, const std::string& json) {
    if (!first) out += ",";
    first = false;
    out += "\"" + key + "\":" + json;
  };
  if (with_id) add("id", "\"" + g.Id() + "\"");
  for (const Column& c : t.columns) {
    std::string name = c.name;
    if (name == "user_id" && g.rng.Chance(85)) {
      add(name, "\"" + g.UserId() + "\"");
    } else if (name == "interview_id" && g.rng.Chance(85)) {
      add(name, "\"" + (g.self && g.rng.Chance(70) ? g.self->session_row : g.Id()) + "\"");
    } else if ((name == "title" || name == "role" || name == "content" || name == "overall_score" ||
                name == "category" || name == "skill") &&
               g.rng.Chance(85)) {
      add(name, g.JsonValueFor(c.kind));
    } else if (g.rng.Chance(20)) {
      add(name, g.JsonValueFor(c.kind));
    }
  }
  if (g.rng.Chance(5)) add(g.Word(), g.JsonValueFor('t'));
  return out + "}";
}

}  // namespace

Request RestRead(Gen& g) {
  Request r;
  std::string name = g.TableName();
  const Table* t = FindTable(name);
  const Table& shape = t ? *t : g.AnyTable();
  r.method = g.rng.Chance(8) ? "HEAD" : "GET";
  r.path = "/rest/v1/" + name;
  if (g.rng.Chance(90)) r.params.emplace_back("select", SelectList(g, shape, 0));
  AddFilters(g, shape, r, 4);
  if (g.rng.Chance(40)) r.params.emplace_back("order", OrderList(g, shape));
  if (g.rng.Chance(10) && !shape.children.empty()) {
    std::string child = g.rng.Pick(shape.children);
    r.params.emplace_back(child + (g.rng.Chance(50) ? ".order" : ".limit"),
                          g.rng.Chance(50) ? "created_at.desc" : Paging(g));
  }
  if (g.rng.Chance(40)) r.params.emplace_back("limit", Paging(g));
  if (g.rng.Chance(20)) r.params.emplace_back("offset", Paging(g));
  AddAuthHeaders(g, r);
  AddReadHeaders(g, r);
  return r;
}

Request RestWrite(Gen& g) {
  Request r;
  std::string name = g.TableName();
  const Table* t = FindTable(name);
  const Table& shape = t ? *t : g.AnyTable();
  r.path = "/rest/v1/" + name;
  std::string prefer;
  static const std::vector<std::string> kReturn = {"return=representation", "return=minimal",
                                                   "return=headers-only", "return=nope"};
  if (g.rng.Chance(70)) prefer = g.rng.Pick(kReturn);
  switch (g.rng.Below(6)) {
    case 0:
    case 1: {  // insert one row or many, maybe as an upsert
      r.method = "POST";
      if (g.rng.Chance(35)) {
        r.body = "[";
        for (size_t i = 0, n = g.rng.Below(5); i < n; ++i) {
          r.body += (i ? "," : "") + RowObject(g, shape, g.rng.Chance(30));
        }
        r.body += "]";
        if (g.rng.Chance(60)) {
          std::string cols;
          for (size_t i = 0, n = 1 + g.rng.Below(4); i < n; ++i) {
            cols += (i ? "," : "") + std::string("\"") + g.ColumnName(shape) + "\"";
          }
          r.params.emplace_back("columns", cols);
        }
      } else {
        r.body = RowObject(g, shape, g.rng.Chance(30));
      }
      if (g.rng.Chance(35)) {
        static const std::vector<std::string> kRes = {"resolution=merge-duplicates",
                                                      "resolution=ignore-duplicates"};
        prefer += std::string(prefer.empty() ? "" : ",") + g.rng.Pick(kRes);
        if (g.rng.Chance(70)) {
          r.params.emplace_back("on_conflict", g.rng.Chance(50) ? "id" : g.ColumnName(shape));
        }
      }
      if (g.rng.Chance(15)) prefer += std::string(prefer.empty() ? "" : ",") + "missing=default";
      break;
    }
    case 2:
    case 3:
      r.method = "PATCH";
      AddFilters(g, shape, r, 3);
      r.body = RowObject(g, shape, g.rng.Chance(10));
      break;
    case 4:
      r.method = "DELETE";
      AddFilters(g, shape, r, 3);
      break;
    default:
      r.method = "PUT";
      r.params.emplace_back("id", "eq." + g.Id());
      r.body = RowObject(g, shape, true);
      break;
  }
  if (g.rng.Chance(40)) r.params.emplace_back("select", SelectList(g, shape, 1));
  if (g.rng.Chance(10)) r.params.emplace_back("limit", Paging(g));
  if (g.rng.Chance(10)) r.params.emplace_back("order", OrderList(g, shape));
  if (g.rng.Chance(5)) prefer += std::string(prefer.empty() ? "" : ",") + "tx=rollback";
  if (g.rng.Chance(5)) prefer += std::string(prefer.empty() ? "" : ",") + "handling=strict";
  AddAuthHeaders(g, r);
  if (!prefer.empty()) r.headers.emplace_back("Prefer", prefer);
  if (!r.body.empty() || g.rng.Chance(10)) {
    static const std::vector<std::string> kTypes = {"application/json",
                                                    "application/json",
                                                    "application/json; charset=utf-8",
                                                    "text/csv",
                                                    "application/x-www-form-urlencoded",
                                                    "text/plain",
                                                    "application/octet-stream"};
    r.headers.emplace_back("Content-Type",
                           g.rng.Chance(85) ? "application/json" : g.rng.Pick(kTypes));
    r.send_body = true;
  }
  if (g.rng.Chance(10)) AddReadHeaders(g, r);
  return r;
}

Request RestRpc(Gen& g) {
  static const std::vector<std::string> kFunctions = {
      "get_user_interview_stats", "get_recent_interviews_with_feedback",
      "get_leaderboard",          "refresh_leaderboard",
      "no_such_function",         "handle_new_user",
      "Get_Leaderboard"};
  static const std::vector<std::string> kArgs = {"p_user_id", "p_limit", "p_user_id",
                                                 "p_limit",   "nope",    ""};
  Request r;
  std::string fn = g.rng.Pick(kFunctions);
  r.path = "/rest/v1/rpc/" + fn;
  Pairs args;
  for (size_t i = 0, n = g.rng.Below(3); i < n; ++i) {
    std::string key = g.rng.Pick(kArgs);
    args.emplace_back(key, key == "p_user_id" ? g.UserId() : g.ValueFor('i'));
  }
  unsigned roll = static_cast<unsigned>(g.rng.Below(10));
  if (roll < 6) {
    r.method = "POST";
    std::string body = "{";
    for (size_t i = 0; i < args.size(); ++i) {
      const auto& [k, v] = args[i];
      bool number = !v.empty() && v.find_first_not_of("-0123456789") == std::string::npos;
      body += (i ? "," : "") + std::string("\"") + k +
              "\":" + (number && g.rng.Chance(80) ? v : "\"" + v + "\"");
    }
    r.body = body + "}";
    r.send_body = true;
  } else {
    r.method = roll < 9 ? "GET" : "HEAD";
    r.params = args;
  }
  if (g.rng.Chance(30)) r.params.emplace_back("select", g.rng.Chance(50) ? "*" : g.Word());
  if (g.rng.Chance(20)) r.params.emplace_back("order", g.Word() + ".desc");
  if (g.rng.Chance(20)) r.params.emplace_back("limit", Paging(g));
  if (g.rng.Chance(15)) r.params.emplace_back(g.Word(), "eq." + g.Value());
  AddAuthHeaders(g, r);
  if (r.method == "POST") r.headers.emplace_back("Content-Type", "application/json");
  if (g.rng.Chance(20))
    r.headers.emplace_back("Prefer", g.rng.Chance(50) ? "count=exact" : "params=single-object");
  if (g.rng.Chance(20)) AddReadHeaders(g, r);
  return r;
}

}  // namespace ib::livefuzz
