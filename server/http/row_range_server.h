// RowRangeServer: an httplib::Server whose connections rename a `Range` request header that is
// not a byte range (PostgREST's `Range: 0-9`, rows for older clients) to `X-Ib-Row-Range`
// before httplib parses the request. cpp-httplib 0.11 otherwise answers any non-`bytes=` Range
// with 416 before routing, and would slice JSON bodies for byte ranges. Only the request head
// is rewritten, never bodies. Same keep-alive, timeout and socket handling as httplib's own.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>

namespace ib::http {

// The header the REST routes read for row ranges.
inline constexpr const char* kRowRangeHeader = "X-Ib-Row-Range";

// Renames a non-byte `Range:` line of a complete request head (request line, headers, blank
// line) to kRowRangeHeader; everything else is copied as it is. Exposed for tests.
std::string RewriteRequestHead(std::string_view head);

class RowRangeServer : public httplib::Server {
 private:
  bool process_and_close_socket(socket_t sock) override;
};

}  // namespace ib::http
