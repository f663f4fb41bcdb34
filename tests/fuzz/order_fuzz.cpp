// libFuzzer target: the `order=` parser (server/rest/order_parser.cpp). Every input parses or is
// refused with a 4xx storage::Error; each term renders with ToString().
#include <cstddef>
#include <cstdint>

#include "server/rest/query_params.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    for (const auto& term : ib::rest::ParseOrder(ib::fuzz::AsText(data, size))) {
      (void)term.ToString();
    }
  } catch (const ib::storage::Error& e) {
    ib::fuzz::CheckClientError(e);
  }
  return 0;
}
