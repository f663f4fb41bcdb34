#include "server/http/handler_headers.h"

#include <string>
#include <string_view>
#include <utility>

namespace ib::http {

void AddHandlerHeaders(const RequestHead& head, httplib::Request& req) {
  ForEachHandlerHeader(head, [&req](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    std::string text(value);
    // decode_url leaves a value without '%' as it is: only those are worth the call.
    if (value.find('%') != std::string_view::npos) {
      text = httplib::detail::decode_url(text, false);
    }
    req.headers.emplace(std::string(name), std::move(text));
  });
}

}  // namespace ib::http
