// A view of a value SQLite hands over (a result column, a function's argument), valid while
// SQLite keeps the value. Inline: the renderer reads every column of every row through it.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <string_view>

#include "storage/sql_value.h"

namespace ib::storage {

inline SqlValueView ViewOf(sqlite3_value* value) {
  SqlValueView v;
  switch (sqlite3_value_type(value)) {
    case SQLITE_INTEGER:
      v.type = SqlValueView::Type::kInteger;
      v.integer = sqlite3_value_int64(value);
      break;
    case SQLITE_FLOAT:
      v.type = SqlValueView::Type::kReal;
      v.real = sqlite3_value_double(value);
      break;
    case SQLITE_TEXT: {
      v.type = SqlValueView::Type::kText;
      auto* p = reinterpret_cast<const char*>(sqlite3_value_text(value));
      v.text = std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(value)));
      break;
    }
    case SQLITE_BLOB: {
      v.type = SqlValueView::Type::kBlob;
      auto* p = static_cast<const char*>(sqlite3_value_blob(value));
      v.text = std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(value)));
      break;
    }
    default:
      break;
  }
  return v;
}

}  // namespace ib::storage
