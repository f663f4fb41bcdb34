// Testing a changed row against a parsed postgres_changes filter, with SQL's three-valued logic:
// a comparison involving NULL is unknown, `not.` of unknown stays unknown, and only a true
// result matches (so `status=not.eq.done` does not match a row whose status is NULL). `is` and
// `isdistinct` are never unknown.
#include <cmath>
#include <optional>

#include "server/realtime/change_filter.h"
#include "storage/regex.h"

namespace ib::realtime {

using storage::SqlValue;
using Op = ChangeFilter::Op;

namespace {

enum class Truth { kFalse, kTrue, kUnknown };

Truth Of(bool b) { return b ? Truth::kTrue : Truth::kFalse; }

Truth Negate(Truth t) {
  if (t == Truth::kUnknown) return t;
  return t == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
}

bool IsNull(const SqlValue* v) {
  return v == nullptr || std::holds_alternative<std::monostate>(*v);
}

std::optional<double> AsNumber(const SqlValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return std::nullopt;
}

int Sign(int c) { return (c > 0) - (c < 0); }

// Orders two non-NULL stored values of one column: integers exactly, numbers numerically (NaN
// equal to itself and above every number, as in Postgres), text and bytes bytewise (uuid,
// timestamptz and date are stored as canonical text whose byte order is their order). Nullopt
// when they are of kinds that do not compare.
std::optional<int> Compare(const SqlValue& a, const SqlValue& b) {
  const auto* ia = std::get_if<int64_t>(&a);
  const auto* ib = std::get_if<int64_t>(&b);
  if (ia && ib) return (*ia > *ib) - (*ia < *ib);
  const std::optional<double> da = AsNumber(a);
  const std::optional<double> db = AsNumber(b);
  if (da && db) {
    if (std::isnan(*da) || std::isnan(*db)) return std::isnan(*da) - std::isnan(*db);
    return (*da > *db) - (*da < *db);
  }
  if (const auto* sa = std::get_if<std::string>(&a)) {
    if (const auto* sb = std::get_if<std::string>(&b)) return Sign(sa->compare(*sb));
  }
  if (const auto* ba = std::get_if<storage::Blob>(&a)) {
    if (const auto* bb = std::get_if<storage::Blob>(&b)) return Sign(ba->bytes.compare(bb->bytes));
  }
  return std::nullopt;
}

Truth Compared(const SqlValue& column, const SqlValue& operand, Op op) {
  if (IsNull(&operand)) return Truth::kUnknown;
  const std::optional<int> c = Compare(column, operand);
  if (!c) return Truth::kUnknown;
  switch (op) {
    case Op::kEq:
      return Of(*c == 0);
    case Op::kNeq:
      return Of(*c != 0);
    case Op::kLt:
      return Of(*c < 0);
    case Op::kLte:
      return Of(*c <= 0);
    case Op::kGt:
      return Of(*c > 0);
    default:  // kGte
      return Of(*c >= 0);
  }
}

// `x IN (a, b, NULL)`: true if one item equals x, else unknown if any item is NULL.
Truth In(const SqlValue& column, const std::vector<SqlValue>& items) {
  Truth result = Truth::kFalse;
  for (const SqlValue& item : items) {
    const Truth t = Compared(column, item, Op::kEq);
    if (t == Truth::kTrue) return t;
    if (t == Truth::kUnknown) result = t;
  }
  return result;
}

// `IS [NOT] NULL | TRUE | FALSE | UNKNOWN`: a bool column is stored as 0/1.
bool Is(const SqlValue* v, const std::string& keyword) {
  if (keyword == "null" || keyword == "unknown") return IsNull(v);
  const auto* i = v ? std::get_if<int64_t>(v) : nullptr;
  if (!i) return false;
  return keyword == "true" ? *i != 0 : *i == 0;
}

// IS DISTINCT FROM: NULL is not distinct from NULL and is distinct from any value.
bool IsDistinct(const SqlValue* v, const SqlValue& operand) {
  if (IsNull(v) || IsNull(&operand)) return IsNull(v) != IsNull(&operand);
  const std::optional<int> c = Compare(*v, operand);
  return !c || *c != 0;
}

Truth Evaluate(const ChangeFilter::Condition& c, const re2::RE2* pattern, const SqlValue* v) {
  switch (c.op) {
    case Op::kIs:
      return Of(Is(v, c.is_keyword));
    case Op::kIsDistinct:
      return Of(IsDistinct(v, c.values.front()));
    default:
      break;
  }
  if (IsNull(v)) return Truth::kUnknown;
  switch (c.op) {
    case Op::kIn:
      return In(*v, c.values);
    case Op::kLike:
    case Op::kIlike:
    case Op::kMatch:
    case Op::kImatch: {
      const auto* text = std::get_if<std::string>(v);
      if (!text || !pattern) return Truth::kUnknown;
      return Of(storage::RegexFind(*pattern, *text));
    }
    default:
      return Compared(*v, c.values.front(), c.op);
  }
}

}  // namespace

bool ChangeFilter::Matches(const storage::ChangeRow& row) const {
  for (size_t i = 0; i < conditions_.size(); ++i) {
    const Condition& c = conditions_[i];
    const auto it = row.find(c.column);
    const SqlValue* v = it == row.end() ? nullptr : &it->second;
    Truth t = Evaluate(c, patterns_[i].get(), v);
    if (c.negated) t = Negate(t);
    if (t != Truth::kTrue) return false;
  }
  return true;
}

}  // namespace ib::realtime
