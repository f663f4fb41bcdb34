// The e2e suite's OnServerSanitizerReport: a sanitizer report in the server's stderr fails the
// test case that stopped the server (the ThreadSanitizer build, tests/tsan/).
#include <doctest/doctest.h>

#include <string>

#include "tests/e2e/support/server_process.h"

namespace ib::e2e {

void OnServerSanitizerReport(const std::string& report) {
  const std::string message = "the server reported:\n" + report;
  FAIL_CHECK(message);
}

}  // namespace ib::e2e
