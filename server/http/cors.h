// CORS for browser apps (docs/wire.md). With --cors-origins * (the default, like Supabase) every
// response allows any origin; with a list, a response allows only a request's Origin that is in
// the list (echoed, with `Vary: Origin`) and carries no Access-Control-Allow-Origin otherwise.
// OPTIONS preflights are answered on every path (every service); a preflight from an origin
// not in the list gets 204 without the allow headers, so the browser refuses the request.
// Immutable after construction: shared by every worker without locking.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ib::http {

class CorsPolicy {
 public:
  // `origins`: {"*"} or exact origins (scheme://host[:port]), as Config holds them.
  explicit CorsPolicy(std::vector<std::string> origins);

  // The CORS headers of any response to a request whose Origin header is `origin` ("" when
  // none was sent).
  void Decorate(std::string_view origin, httplib::Response& res) const;
  // The answer to an OPTIONS request (its CORS origin headers come from Decorate, which the
  // FramedServer applies to every response).
  void Preflight(const httplib::Request& req, httplib::Response& res) const;

 private:
  bool Allowed(std::string_view origin) const;

  bool any_origin_;
  std::vector<std::string> origins_;
};

void RegisterCors(httplib::Server& server, std::shared_ptr<const CorsPolicy> cors);

}  // namespace ib::http
