// SqlValue: one value as SQLite stores it, the unit that travels as a bound parameter.
// SqlValueView: a non-owning look at a result column, valid until the statement steps again;
// the renderer reads rows through views so the hot path copies no strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace ib::storage {

struct Blob {
  std::string bytes;
  bool operator==(const Blob& o) const { return bytes == o.bytes; }
};

// monostate = SQL NULL.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string, Blob>;

struct SqlValueView {
  enum class Type { kNull, kInteger, kReal, kText, kBlob };
  Type type = Type::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string_view text;  // kText and kBlob

  bool is_null() const { return type == Type::kNull; }
};

// Converts an owning value to a view of it (the view borrows from `v`).
SqlValueView ViewOf(const SqlValue& v);
// Copies a viewed value into an owning one.
SqlValue OwnedCopy(const SqlValueView& v);

}  // namespace ib::storage
