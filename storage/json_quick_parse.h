// QuickParseJson: the fast way to the same tree nlohmann::json::parse builds. Boost.JSON's
// tokenizer (boost::json::basic_parser) reads the text and a handler builds the nlohmann tree
// from its events. nlohmann's own lexer copies every character twice (its token buffer and its
// error-context buffer) and tracks lines and columns: about 60 instructions a byte, the largest
// step of a full-row insert besides SQLite (bench/README.md). Boost's reads a byte in a few.
//
// Exact or nothing: for every text it accepts, the tree is the one nlohmann's parse gives (the
// same value types: a non-negative integer is number_unsigned, a negative one number_integer, a
// number with a fraction or an exponent number_float by correct rounding; the last of duplicate
// keys wins; a leading UTF-8 byte-order mark is skipped). Whatever it cannot answer that way
// (invalid JSON, nesting deeper than `max_depth`, a number nlohmann would refuse or round through
// strtod's underflow) it declines, and the caller parses with nlohmann, whose verdict and message
// stand (storage/json_input.h). Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace ib::storage {

// The tree of `text`, or nullopt when declined. At most `max_depth` nested arrays/objects.
std::optional<nlohmann::json> QuickParseJson(std::string_view text, int max_depth);

}  // namespace ib::storage
