// One HTTP/1.1 request over a socket bound to a chosen local address, so a test can be two
// clients at two addresses (127.0.0.1 and 127.0.0.2 are both loopback on Linux). Sends
// `Connection: close` and reads the answer to the end. Throws std::runtime_error when the
// connection fails.
#pragma once

#include <string>

#include "tests/e2e/support/server_process.h"

namespace ib::e2e {

Reply SendFrom(const std::string& source_ip, int port, const std::string& method,
               const std::string& path, const httplib::Headers& headers,
               const std::string& body = "");

}  // namespace ib::e2e
