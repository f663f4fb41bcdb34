// libFuzzer target: logic trees (`or=`, `and=`, `not.or=`, `not.and=`, with an embed prefix),
// through ParseQueryParams as a request would reach server/rest/logic_parser.cpp. The input is
// `key=value`; without '=' it is the value of `or`. Every input parses or is refused with a
// 4xx storage::Error; every tree renders with ToString().
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "server/rest/query_params.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = ib::fuzz::AsText(data, size);
  std::string key = "or";
  std::string_view value = text;
  if (auto eq = text.find('='); eq != std::string_view::npos) {
    key = std::string(text.substr(0, eq));
    value = text.substr(eq + 1);
  }
  std::vector<std::pair<std::string, std::string>> params{{key, std::string(value)}};
  try {
    ib::rest::ApiRequest request = ib::rest::ParseQueryParams(params);
    for (const auto& [path, tree] : request.logic) (void)tree.ToString();
    (void)request.ToString();
  } catch (const ib::storage::Error& e) {
    ib::fuzz::CheckClientError(e);
  }
  return 0;
}
