// libFuzzer target: the REST JSON body decoder (ParseJsonBody, server/rest/write_support.h) and
// the codec it feeds: byte 0 picks a column type the schema declares, the rest is the body; each
// member of the body object (or of each object of a body array) is converted to that type
// (storage::FromJson) and each accepted value goes through the codec's round trip. Every step
// succeeds or refuses with a 4xx storage::Error.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/rest/write_support.h"
#include "tests/fuzz/codec_checks.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

void ConvertMembers(const ib::storage::ColumnType& type, const nlohmann::json& row) {
  if (!row.is_object()) return;
  for (const auto& member : row) {
    try {
      ib::fuzz::CheckRoundTrip(type, ib::storage::FromJson(type, member));
    } catch (const ib::storage::Error& e) {
      ib::fuzz::CheckClientError(e);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& types = ib::fuzz::SchemaColumnTypes();
  const auto& type = types[data[0] % types.size()];
  nlohmann::json body;
  try {
    body = ib::rest::ParseJsonBody(std::string(ib::fuzz::AsText(data + 1, size - 1)));
  } catch (const ib::storage::Error& e) {
    ib::fuzz::CheckClientError(e);
    return 0;
  }
  if (body.is_array()) {
    for (const auto& row : body) ConvertMembers(type, row);
  } else {
    ConvertMembers(type, body);
  }
  return 0;
}
