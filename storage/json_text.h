// Helpers for writing JSON text directly into a std::string, without building a DOM.
// The hot read path renders rows with these; they allocate nothing beyond `out` growing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ib::storage {

// Appends `s` as a JSON string literal (quotes included), escaping per RFC 8259.
// Invalid UTF-8 is passed through byte for byte (SQLite text we wrote is always valid).
void AppendJsonString(std::string& out, std::string_view s);

// Appends a 64-bit integer in decimal.
void AppendInt(std::string& out, int64_t v);

// Appends `v` rounded to `scale` fractional digits ("87.50"), as Postgres renders numeric(p,s).
// scale < 0 means shortest round-trip form.
void AppendDecimal(std::string& out, double v, int scale);

}  // namespace ib::storage
