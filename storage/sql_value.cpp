#include "storage/sql_value.h"

namespace ib::storage {

SqlValueView ViewOf(const SqlValue& v) {
  SqlValueView view;
  if (const auto* i = std::get_if<int64_t>(&v)) {
    view.type = SqlValueView::Type::kInteger;
    view.integer = *i;
  } else if (const auto* d = std::get_if<double>(&v)) {
    view.type = SqlValueView::Type::kReal;
    view.real = *d;
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    view.type = SqlValueView::Type::kText;
    view.text = *s;
  } else if (const auto* b = std::get_if<Blob>(&v)) {
    view.type = SqlValueView::Type::kBlob;
    view.text = b->bytes;
  }
  return view;
}

SqlValue OwnedCopy(const SqlValueView& v) {
  switch (v.type) {
    case SqlValueView::Type::kInteger:
      return v.integer;
    case SqlValueView::Type::kReal:
      return v.real;
    case SqlValueView::Type::kText:
      return std::string(v.text);
    case SqlValueView::Type::kBlob:
      return Blob{std::string(v.text)};
    default:
      return std::monostate{};
  }
}

}  // namespace ib::storage
