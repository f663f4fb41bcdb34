// RestRequest / RestResponse: one /rest/v1 exchange without HTTP library types, so the whole
// engine can be driven in-process by tests. Built and sent by rest_routes.cpp.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ib::rest {

struct RestRequest {
  std::string method;    // GET HEAD POST PATCH PUT DELETE
  std::string resource;  // table or function name, percent-decoded
  bool rpc = false;      // /rest/v1/rpc/{resource}
  std::vector<std::pair<std::string, std::string>> params;  // decoded, in order, repeats kept
  std::string accept;                                       // "" when absent
  std::vector<std::string> prefer;                          // every Prefer header value
  std::optional<std::string> range;                         // Range header
  std::optional<std::string> profile;  // Accept-Profile (reads) or Content-Profile (writes)
  std::string body;
};

struct RestResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace ib::rest
