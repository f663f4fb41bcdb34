// libFuzzer target: one filter parameter `[embed.]*column[->path]=[not.]op[(mod)].value`, through
// ParseQueryParams (server/rest/operation_parser.cpp and the field grammar), then each operand
// cast to a column type the schema declares as the planner casts it (storage::FromText),
// and each accepted value through the codec's round trip. Byte 0 picks the column type, the rest
// is `key=value` (without '=' the value of `id`). Every step succeeds or refuses with a 4xx
// storage::Error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "server/rest/query_params.h"
#include "storage/utf8.h"
#include "tests/fuzz/codec_checks.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

void CastOperand(const ib::storage::ColumnType& type, std::string_view operand) {
  try {
    ib::storage::SqlValue value = ib::storage::FromText(type, operand);
    // An operand is compared, never stored nor rendered: the length of a varchar, the UTF-8 of
    // text and its NULs are checked only where a value is stored (bodies).
    const bool storable = type.kind != ib::storage::ValueKind::kVarchar &&
                          ib::storage::ToValidUtf8(operand) == operand &&
                          operand.find('\0') == std::string_view::npos;
    if (storable) ib::fuzz::CheckRoundTrip(type, value);
  } catch (const ib::storage::Error& e) {
    ib::fuzz::CheckClientError(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& types = ib::fuzz::SchemaColumnTypes();
  const auto& type = types[data[0] % types.size()];
  std::string_view text = ib::fuzz::AsText(data + 1, size - 1);
  std::string key = "id";
  std::string_view value = text;
  if (auto eq = text.find('='); eq != std::string_view::npos) {
    key = std::string(text.substr(0, eq));
    value = text.substr(eq + 1);
  }
  std::vector<std::pair<std::string, std::string>> params{{key, std::string(value)}};
  ib::rest::ApiRequest request;
  try {
    request = ib::rest::ParseQueryParams(params);
    (void)request.ToString();
  } catch (const ib::storage::Error& e) {
    ib::fuzz::CheckClientError(e);
    return 0;
  }
  for (const auto& [path, filter] : request.filters) {
    (void)filter.ToString();
    CastOperand(type, filter.operation.value);
    for (const auto& item : filter.operation.items) CastOperand(type, item);
  }
  return 0;
}
