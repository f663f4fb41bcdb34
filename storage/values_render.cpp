// The value codec's output (values.h): AppendJson renders a stored value as PostgREST's JSON does,
// ToText as Postgres' text output functions do (boolout, timestamptz_out, array_out, ...), which is
// what PostgREST's CSV is made of. Both read SqlValueViews and tolerate any storage class: SQLite
// does not enforce declared types, so hand-written or legacy rows still render.
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "storage/error.h"
#include "storage/json_text.h"
#include "storage/values.h"
#include "storage/values_internal.h"

namespace ib::storage {
namespace {

using Kind = ValueKind;
using values_internal::Hex;
using values_internal::ParseBool;
using values_internal::TextArrayFromText;
using values_internal::TextArrayLiteral;

// ---- JSON (AppendJson) ----

// A stored value's rendering: text that AppendJson quotes (quoted) or emits as is, borrowed
// from the view when possible so the hot path copies no strings.
struct Form {
  bool quoted = false;
  std::string_view borrowed;
  std::string owned;
  bool is_owned = false;
  std::string_view text() const { return is_owned ? std::string_view(owned) : borrowed; }
};

Form View(bool quoted, std::string_view s) { return {quoted, s, {}, false}; }
Form Own(bool quoted, std::string s) { return {quoted, {}, std::move(s), true}; }

bool IsStored(const SqlValueView& v) {  // TEXT or BLOB: bytes in v.text
  return v.type == SqlValueView::Type::kText || v.type == SqlValueView::Type::kBlob;
}

// INTEGER / REAL storage as a number; decimals get `scale` digits ("87.00").
std::string NumberText(const SqlValueView& v, int scale) {
  std::string out;
  if (v.type == SqlValueView::Type::kInteger) {
    AppendInt(out, v.integer);
    if (scale > 0) out.append(1, '.').append(static_cast<size_t>(scale), '0');
  } else {
    AppendDecimal(out, v.real, scale);
  }
  return out;
}

// RFC 8259 number grammar, so text stored in a numeric column is emitted only if it is valid.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && values_internal::IsDigit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    if (++i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

Form RenderString(const SqlValueView& v) {
  return IsStored(v) ? View(true, v.text) : Own(true, NumberText(v, -1));
}

Form RenderNumber(const SqlValueView& v, int scale) {
  if (!IsStored(v)) return Own(false, NumberText(v, scale));
  return View(!IsJsonNumber(v.text), v.text);
}

Form RenderBool(const SqlValueView& v) {
  std::optional<bool> b;
  if (v.type == SqlValueView::Type::kInteger)
    b = v.integer != 0;
  else if (v.type == SqlValueView::Type::kReal)
    b = v.real != 0;
  else
    b = ParseBool(v.text);
  if (!b) return View(true, v.text);
  return View(false, *b ? "true" : "false");
}

// jsonb text is already JSON; numeric affinity may have turned 5 / 1.5 into INTEGER / REAL.
Form RenderJsonb(const SqlValueView& v) {
  if (!IsStored(v)) return Own(false, NumberText(v, -1));
  return View(v.text.empty(), v.text);
}

// JSON array text as stored; a Postgres literal ({a,b}) written by hand is converted.
Form RenderTextArray(const SqlValueView& v) {
  const std::string_view s = Trim(v.text);
  if (!IsStored(v) || s.empty()) return RenderString(v);
  if (s[0] == '[') return View(false, v.text);
  if (s[0] != '{') return RenderString(v);
  try {
    return Own(false, TextArrayFromText(v.text));
  } catch (const Error&) {
    return RenderString(v);
  }
}

bool IsCanonicalTimestamptz(std::string_view s) {  // "YYYY-MM-DDTHH:MM:SS.ffffff+00:00"
  return s.size() == 32 && s[10] == 'T' && s.substr(26) == "+00:00";
}

// Canonical text is emitted as is; other text (datetime('now'), seeds) is normalised if it can be.
Form RenderTimestamptz(const SqlValueView& v) {
  if (v.type != SqlValueView::Type::kText || IsCanonicalTimestamptz(v.text)) return RenderString(v);
  try {
    return Own(true, NormalizeTimestamptz(v.text));
  } catch (const Error&) {
    return RenderString(v);
  }
}

Form Render(const ColumnType& t, const SqlValueView& v) {
  switch (t.kind) {
    case Kind::kInt:
    case Kind::kBigInt:
    case Kind::kReal:
      return RenderNumber(v, -1);
    case Kind::kDecimal:
      return RenderNumber(v, t.scale);
    case Kind::kBool:
      return RenderBool(v);
    case Kind::kJsonb:
      return RenderJsonb(v);
    case Kind::kTextArray:
      return RenderTextArray(v);
    case Kind::kTimestamptz:
      return RenderTimestamptz(v);
    case Kind::kBytea:
      return Own(true, Hex(IsStored(v) ? std::string(v.text) : NumberText(v, -1)));
    default:
      return RenderString(v);
  }
}

// ---- Postgres' text form (ToText) ----

// timestamptz_out with TimeZone UTC and DateStyle ISO: a space for the T, the fraction without
// trailing zeros (none when zero), offset "+00": "2024-05-01 12:00:00.5+00". Text that is not
// a timestamp, and other storage classes, are shown as stored (as AppendJson does).
std::string TimestamptzText(const SqlValueView& v) {
  if (v.type != SqlValueView::Type::kText) return std::string(RenderString(v).text());
  std::string canonical(v.text);
  if (!IsCanonicalTimestamptz(canonical)) {
    try {
      canonical = NormalizeTimestamptz(v.text);
    } catch (const Error&) {
      return canonical;
    }
  }
  std::string out = canonical.substr(0, 19);  // YYYY-MM-DDTHH:MM:SS
  out[10] = ' ';
  std::string_view fraction = std::string_view(canonical).substr(20, 6);
  fraction = fraction.substr(0, fraction.find_last_not_of('0') + 1);  // npos + 1 == 0
  if (!fraction.empty()) out.append(1, '.').append(fraction);
  return out + "+00";
}

// array_out: {a,"b c",NULL}. A hand-written literal is normalised; text that is no array is
// shown as stored.
std::string TextArrayText(const SqlValueView& v) {
  const Form form = RenderTextArray(v);  // JSON array text, unless it is no array (quoted)
  if (form.quoted) return std::string(form.text());
  const auto literal = TextArrayLiteral(form.text());
  return literal ? *literal : std::string(v.text);
}

// boolout: "t" / "f"; text that is no boolean is shown as stored.
std::string BoolText(const SqlValueView& v) {
  const Form form = RenderBool(v);
  if (form.quoted) return std::string(form.text());
  return form.text() == "true" ? "t" : "f";
}

// float8out / numeric_out spell the non-finite values out; JSON can only say null.
std::optional<std::string> NonFiniteText(const SqlValueView& v) {
  if (v.type != SqlValueView::Type::kReal || std::isfinite(v.real)) return std::nullopt;
  if (std::isnan(v.real)) return "NaN";
  return v.real < 0 ? "-Infinity" : "Infinity";
}

// jsonb_out's spacing of compact JSON text: ": " after each key, ", " between members and
// elements. Stored jsonb is compact (storage/json_dump.h), so this is its whole difference.
std::string JsonbOutSpacing(std::string_view compact) {
  std::string out;
  out.reserve(compact.size() + compact.size() / 4);
  bool in_string = false;
  for (size_t i = 0; i < compact.size(); ++i) {
    const char c = compact[i];
    out += c;
    if (in_string) {
      if (c == '\\' && i + 1 < compact.size()) {
        out += compact[++i];  // the escaped character, a quote included
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ':' || c == ',') {
      out += ' ';
    }
  }
  return out;
}

}  // namespace

void AppendJson(std::string& out, const ColumnType& type, const SqlValueView& value) {
  if (value.is_null()) {
    out += "null";
    return;
  }
  const Form form = Render(type, value);
  if (form.quoted)
    AppendJsonString(out, form.text());
  else
    out.append(form.text());
}

std::string ToText(const ColumnType& type, const SqlValueView& value) {
  if (value.is_null()) return "";
  switch (type.kind) {
    case Kind::kBool:
      return BoolText(value);
    case Kind::kTimestamptz:
      return TimestamptzText(value);
    case Kind::kTextArray:
      return TextArrayText(value);
    case Kind::kInt:
    case Kind::kBigInt:
    case Kind::kDecimal:
    case Kind::kReal:
      if (auto text = NonFiniteText(value)) return *text;
      break;
    default:
      break;
  }
  return std::string(Render(type, value).text());
}

std::string CastToText(const ColumnType& type, const SqlValueView& value) {
  if (value.is_null()) return "";
  switch (type.kind) {
    case Kind::kBool:
      return std::string(RenderBool(value).text());  // true / false (or the stored text)
    case Kind::kJsonb:
      if (type.PgName() == "jsonb") return JsonbOutSpacing(ToText(type, value));
      break;
    default:
      break;
  }
  return ToText(type, value);
}

}  // namespace ib::storage
