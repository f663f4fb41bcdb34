// libFuzzer target: the quick JSON parse (Boost.JSON's tokenizer building nlohmann's tree,
// storage/json_quick_parse.h) against nlohmann's own parser. For every input, ParseClientJson
// and ParseClientJsonWithNlohmann give the same outcome, the same refusal message and, when
// accepted, the identical tree (value types included), which AppendCompactJson
// (storage/json_dump.h) writes as nlohmann's dump() does, and in jsonb's key order as the same
// tree.
#include <cstddef>
#include <cstdint>
#include <string>

#include "storage/json_dump.h"
#include "storage/json_input.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/support/identical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = ib::fuzz::AsText(data, size);
  const ib::storage::ClientJson quick = ib::storage::ParseClientJson(text);
  const ib::storage::ClientJson reference = ib::storage::ParseClientJsonWithNlohmann(text);
  ib::fuzz::Check(quick.outcome == reference.outcome, "outcome differs from nlohmann's", text);
  ib::fuzz::Check(quick.error == reference.error, "message differs from nlohmann's", text);
  ib::fuzz::Check(ib::test::IdenticalJson(quick.value, reference.value),
                  "tree differs from nlohmann's", text);
  if (!quick.ok()) return 0;
  std::string compact;
  ib::fuzz::Check(ib::storage::AppendCompactJson(compact, quick.value, ib::storage::kMaxJsonDepth),
                  "an accepted tree is refused as too deep", text);
  ib::fuzz::Check(
      compact == quick.value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      "compact text differs from nlohmann's dump", text);
  // In jsonb's key order (what a jsonb column stores): the same members, the same tree.
  std::string jsonb;
  ib::fuzz::Check(ib::storage::AppendCompactJson(jsonb, quick.value, ib::storage::kMaxJsonDepth,
                                                 ib::storage::KeyOrder::kJsonb),
                  "an accepted tree is refused as too deep in jsonb's order", text);
  ib::fuzz::Check(jsonb.size() == compact.size() && nlohmann::json::parse(jsonb) == quick.value,
                  "jsonb-ordered text is not the same tree", text);
  return 0;
}
