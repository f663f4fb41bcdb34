// JSON a client sent, parsed with a bound on nesting. nlohmann parses iteratively, but copying,
// comparing and dumping a tree recurse once per level, so a document nested 200,000 deep would
// crash the process later; it is refused here, before any tree that deep exists. Every JSON
// input of the services goes through ParseClientJson: Boost.JSON's tokenizer builds the tree
// when it can (storage/json_quick_parse.h, the same tree, several times faster), nlohmann's
// parser otherwise, whose verdict and message every refusal carries. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ib::storage {

// Deepest nesting of arrays and objects accepted in any client JSON (docs/limits.md).
constexpr int kMaxJsonDepth = 512;

// True when `text` opens more than `max_depth` arrays/objects at once (brackets inside strings
// do not count). Reads `text` once, allocates nothing.
bool NestsDeeperThan(std::string_view text, int max_depth);

struct ClientJson {
  enum class Outcome { kOk, kInvalid, kTooDeep };
  Outcome outcome = Outcome::kInvalid;
  nlohmann::json value = nlohmann::json::value_t::null;  // set when kOk
  std::string error;  // why, when not kOk (the parser's message, or the depth bound)

  bool ok() const { return outcome == Outcome::kOk; }
};

// Parses `text`, refusing nesting deeper than kMaxJsonDepth without building a tree. Never
// throws.
ClientJson ParseClientJson(std::string_view text);

// The same with nlohmann's parser alone (behind a linear pre-scan for the nesting): what
// ParseClientJson answers whenever the quick parse declines, and what it must equal always
// (tests/fuzz/json_input_fuzz.cpp compares the two).
ClientJson ParseClientJsonWithNlohmann(std::string_view text);

}  // namespace ib::storage
