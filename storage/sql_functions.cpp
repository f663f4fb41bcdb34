// SQLite functions standing in for the Postgres ones the schema's defaults call, and the one
// that writes an embedded row's values as the top-level renderer does.
#include <re2/re2.h>
#include <sqlite3.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "storage/db.h"
#include "storage/json_dump.h"
#include "storage/json_input.h"
#include "storage/regex.h"
#include "storage/sqlite_value_view.h"
#include "storage/values.h"

namespace ib::storage {
namespace {

// gen_random_uuid(): a random (version 4, variant 1) UUID in lowercase text, as Postgres'.
void GenRandomUuid(sqlite3_context* ctx, int, sqlite3_value**) {
  unsigned char b[16];
  sqlite3_randomness(sizeof b, b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  char out[36];
  int pos = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[pos++] = '-';
    out[pos++] = kHex[b[i] >> 4];
    out[pos++] = kHex[b[i] & 0xF];
  }
  sqlite3_result_text(ctx, out, 36, SQLITE_TRANSIENT);
}

// now(): the current time as canonical timestamptz text.
void Now(sqlite3_context* ctx, int, sqlite3_value**) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::string text = FormatTimestamptz(micros);
  sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// Postgres jsonb containment (@>): objects contain objects key by key, arrays contain arrays
// when every element of the right is contained in some element of the left, scalars equal.
bool JsonContains(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, value] : b.items()) {
      auto it = a.find(key);
      if (it == a.end() || !JsonContains(*it, value)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    for (const auto& needle : b) {
      bool found = false;
      for (const auto& hay : a) {
        if (JsonContains(hay, needle)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  if (a.is_array() && !b.is_object() && !b.is_array()) {
    // A top-level array contains a bare scalar that is one of its elements (Postgres rule).
    for (const auto& hay : a) {
      if (hay == b) return true;
    }
    return false;
  }
  return a == b;
}

std::optional<nlohmann::json> JsonArg(sqlite3_value* v) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return std::nullopt;
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
  auto parsed = nlohmann::json::parse(text ? text : "", nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

// ib_jsonb_contains(a, b): a @> b; NULL when either side is NULL.
void JsonbContains(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto a = JsonArg(argv[0]);
  auto b = JsonArg(argv[1]);
  if (!a || !b) return sqlite3_result_null(ctx);
  sqlite3_result_int(ctx, JsonContains(*a, *b) ? 1 : 0);
}

// ib_jsonb_overlaps(a, b): the arrays share an element (Postgres && on arrays).
void JsonbOverlaps(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto a = JsonArg(argv[0]);
  auto b = JsonArg(argv[1]);
  if (!a || !b) return sqlite3_result_null(ctx);
  if (!a->is_array() || !b->is_array()) return sqlite3_result_int(ctx, 0);
  for (const auto& x : *a) {
    for (const auto& y : *b) {
      if (x == y) return sqlite3_result_int(ctx, 1);
    }
  }
  sqlite3_result_int(ctx, 0);
}

// ib_regexp(pattern, text) / ib_iregexp: PostgREST's match/imatch (Postgres ~ and ~*) on RE2
// (storage/regex.h). The pattern is a bound parameter, constant for the statement, so it is
// compiled once and kept as the call's auxiliary data for every later row.
void Regexp(sqlite3_context* ctx, sqlite3_value** argv, bool icase) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    return sqlite3_result_null(ctx);
  }
  const auto* re = static_cast<const re2::RE2*>(sqlite3_get_auxdata(ctx, 0));
  CompiledRegex compiled;  // compiled by this call; handed to SQLite after use
  if (!re) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    std::string_view pattern(text, static_cast<size_t>(sqlite3_value_bytes(argv[0])));
    std::string reason;
    compiled = CompileRegex(pattern, icase, &reason);
    if (!compiled) {
      std::string message = std::string(kRegexErrorPrefix) + reason;
      return sqlite3_result_error(ctx, message.c_str(), static_cast<int>(message.size()));
    }
    re = compiled.get();
  }
  const auto* subject = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  std::string_view text(subject ? subject : "", static_cast<size_t>(sqlite3_value_bytes(argv[1])));
  const bool found = RegexFind(*re, text);
  if (compiled) {
    sqlite3_set_auxdata(ctx, 0, const_cast<re2::RE2*>(compiled.release()),
                        [](void* p) { RegexDeleter()(static_cast<const re2::RE2*>(p)); });
  }
  sqlite3_result_int(ctx, found ? 1 : 0);
}
void RegexpCase(sqlite3_context* ctx, int, sqlite3_value** argv) { Regexp(ctx, argv, false); }
void RegexpNoCase(sqlite3_context* ctx, int, sqlite3_value** argv) { Regexp(ctx, argv, true); }

// SQLite marks the text of json(), json_object() and the like with this subtype; json_object()
// and json_group_array() take an argument so marked as JSON text, as it is (sqlite3/json.c's
// JSON_SUBTYPE, unchanged since JSON1 began).
constexpr unsigned int kSqliteJsonSubtype = 'J';

// The column type named by a value function's kind and scale arguments (ValueKind as an
// integer; the decimal scale, -1 otherwise); nullopt, with the call's error set, for a kind
// that does not exist.
std::optional<ColumnType> TypeOfArgs(sqlite3_context* ctx, sqlite3_value** argv) {
  const int kind = sqlite3_value_int(argv[1]);
  if (kind < static_cast<int>(ValueKind::kText) || kind > static_cast<int>(ValueKind::kBytea)) {
    sqlite3_result_error(ctx, "unknown value kind", -1);
    return std::nullopt;
  }
  ColumnType type;
  type.kind = static_cast<ValueKind>(kind);
  type.scale = sqlite3_value_int(argv[2]);
  return type;
}

// ib_json_value(value, kind, scale): the value's JSON text exactly as storage::AppendJson
// writes it for a top-level row of a column of that type, marked as JSON. Embedded rows are
// built by SQLite's json_object(); through this function their jsonb, text[], decimal, bool,
// real, timestamptz and bytea values are the renderer's own, and jsonb text is copied rather
// than parsed and written again by json() (stored jsonb is always the compact text of
// storage/json_dump.h).
void JsonValue(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const SqlValueView value = ViewOf(argv[0]);
  if (value.is_null()) return sqlite3_result_null(ctx);
  const std::optional<ColumnType> type = TypeOfArgs(ctx, argv);
  if (!type) return;
  thread_local std::string text;  // reused: an embed calls this for every value of every row
  text.clear();
  AppendJson(text, *type, value);
  sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  sqlite3_result_subtype(ctx, kSqliteJsonSubtype);
}

// ib_text_value(value, kind, scale): the value as Postgres' ::text cast writes it
// (storage::CastToText), for select=column::text at the top level and in embeds.
void TextValue(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const SqlValueView value = ViewOf(argv[0]);
  if (value.is_null()) return sqlite3_result_null(ctx);
  const std::optional<ColumnType> type = TypeOfArgs(ctx, argv);
  if (!type) return;
  const std::string text = CastToText(*type, value);
  sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// ib_jsonb_key_order(text): stored jsonb text re-written with its objects' keys in jsonb's order
// (storage/json_dump.h, KeyOrder::kJsonb), for migration 0013's rewrite of rows stored before
// that order was kept. Anything that is not JSON text (NULL, numbers, text that does not parse)
// comes back as it is.
void JsonbKeyOrder(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const SqlValueView value = ViewOf(argv[0]);
  if (value.type != SqlValueView::Type::kText) return sqlite3_result_value(ctx, argv[0]);
  const ClientJson parsed = ParseClientJson(value.text);
  std::string text;
  if (!parsed.ok() || !AppendCompactJson(text, parsed.value, kMaxJsonDepth, KeyOrder::kJsonb)) {
    return sqlite3_result_value(ctx, argv[0]);
  }
  sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

}  // namespace

void RegisterSqlFunctions(sqlite3* handle) {
  // INNOCUOUS: safe to run from schema defaults even with trusted_schema off.
  sqlite3_create_function_v2(handle, "gen_random_uuid", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, nullptr,
                             GenRandomUuid, nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(handle, "now", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, nullptr, Now,
                             nullptr, nullptr, nullptr);
  const int pure = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  sqlite3_create_function_v2(handle, "ib_jsonb_contains", 2, pure, nullptr, JsonbContains, nullptr,
                             nullptr, nullptr);
  sqlite3_create_function_v2(handle, "ib_jsonb_overlaps", 2, pure, nullptr, JsonbOverlaps, nullptr,
                             nullptr, nullptr);
#ifdef SQLITE_RESULT_SUBTYPE  // SQLite 3.45+ asks a function that sets a subtype to say so
  const int marks_json = pure | SQLITE_RESULT_SUBTYPE;
#else
  const int marks_json = pure;
#endif
  sqlite3_create_function_v2(handle, "ib_json_value", 3, marks_json, nullptr, JsonValue, nullptr,
                             nullptr, nullptr);
  sqlite3_create_function_v2(handle, "ib_jsonb_key_order", 1, pure, nullptr, JsonbKeyOrder, nullptr,
                             nullptr, nullptr);
  sqlite3_create_function_v2(handle, "ib_text_value", 3, pure, nullptr, TextValue, nullptr, nullptr,
                             nullptr);
  sqlite3_create_function_v2(handle, "ib_regexp", 2, pure, nullptr, RegexpCase, nullptr, nullptr,
                             nullptr);
  sqlite3_create_function_v2(handle, "ib_iregexp", 2, pure, nullptr, RegexpNoCase, nullptr, nullptr,
                             nullptr);
}

}  // namespace ib::storage
