// CompactJson: the text nlohmann's `dump()` writes for a tree (no spaces, members in the tree's
// key order or in jsonb's, strings escaped as nlohmann escapes them with non-ASCII kept as UTF-8,
// invalid UTF-8 replaced by U+FFFD), written without nlohmann's serializer: that one runs every
// byte of every string through a UTF-8 decoder and writes a byte at a time, about 40 instructions a
// byte of a jsonb column (a full-row insert's metadata and questions, bench/README.md). Here a
// string is checked for UTF-8 and escaped eight bytes at a time (storage/json_text.h). Pure;
// thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace ib::storage {

// The order of an object's members in the text.
enum class KeyOrder {
  kTree,   // the tree's (nlohmann's std::map: bytewise), as dump() writes them
  kJsonb,  // Postgres jsonb's: shorter keys first, equal lengths bytewise (as jsonb_out and
           // every jsonb Supabase sends: {"b":1,"aa":2})
};

// Appends the compact text of `v` to `out` and returns true, or returns false (with `out` partly
// written) when `v` nests more than `max_depth` arrays/objects.
bool AppendCompactJson(std::string& out, const nlohmann::json& v, int max_depth,
                       KeyOrder order = KeyOrder::kTree);

}  // namespace ib::storage
