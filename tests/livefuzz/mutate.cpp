// Generic mutations applied on top of a well-formed shape: they bend one part of the request
// (method, path, a query parameter, a header, the body) the way a buggy or hostile client
// would, while keeping the HTTP framing intact (Request::Serialize() owns Content-Length).
#include <string>

#include "tests/livefuzz/gen.h"

namespace ib::livefuzz {
namespace {

void MutateBytes(Gen& g, std::string& s) {
  switch (g.rng.Below(7)) {
    case 0:
      if (!s.empty()) s.resize(g.rng.Below(s.size()));
      break;
    case 1:
      s.insert(g.rng.Below(s.size() + 1), 1, static_cast<char>(g.rng.Below(256)));
      break;
    case 2:
      if (!s.empty()) s[g.rng.Below(s.size())] = static_cast<char>(g.rng.Below(256));
      break;
    case 3:
      s.insert(g.rng.Below(s.size() + 1), g.Value());
      break;
    case 4:
      if (s.size() < 4000) s += s;
      break;
    case 5: {
      static const std::vector<std::string> kPunct = {"(", ")",  ",", ".", ":",  "::", "->",
                                                      "!", "\"", "{", "}", "[",  "]",  "...",
                                                      "*", "&",  "=", "%", "\\", "'"};
      s.insert(g.rng.Below(s.size() + 1), g.rng.Pick(kPunct));
      break;
    }
    default:
      s = g.Hostile();
      break;
  }
}

void MutateParams(Gen& g, Request& r) {
  if (r.params.empty() || g.rng.Chance(15)) {
    static const std::vector<std::string> kKeys = {
        "select",      "order", "limit", "offset",   "or",  "and",    "columns",
        "on_conflict", "id",    "",      "select[]", "not", "user_id"};
    r.params.emplace_back(g.rng.Pick(kKeys), g.Value());
    return;
  }
  size_t i = g.rng.Below(r.params.size());
  switch (g.rng.Below(5)) {
    case 0:
      r.params.erase(r.params.begin() + static_cast<long>(i));
      break;
    case 1:
      r.params.push_back(r.params[i]);
      break;
    case 2:
      MutateBytes(g, r.params[i].first);
      break;
    default:
      MutateBytes(g, r.params[i].second);
      break;
  }
}

void MutateHeaders(Gen& g, Request& r) {
  static const std::vector<std::string> kNames = {
      "Prefer",         "Accept",          "Range",           "Range-Unit", "Content-Type",
      "Accept-Profile", "Content-Profile", "Authorization",   "apikey",     "x-upsert",
      "Origin",         "Accept-Encoding", "X-Forwarded-For", "Expect",     "Cookie",
      "If-None-Match",  "If-Match"};
  static const std::vector<std::string> kValues = {"public",
                                                   "storage",
                                                   "auth",
                                                   "nope",
                                                   "return=representation,count=exact",
                                                   "application/vnd.pgrst.object+json",
                                                   "bytes=0-1",
                                                   "gzip, deflate, br",
                                                   "100-continue",
                                                   "\"etag\"",
                                                   "*",
                                                   "0-",
                                                   "-",
                                                   "Bearer",
                                                   "Bearer ",
                                                   ""};
  if (r.headers.empty() || g.rng.Chance(50)) {
    r.headers.emplace_back(g.rng.Pick(kNames), g.rng.Chance(60) ? g.rng.Pick(kValues) : g.Value());
    return;
  }
  size_t i = g.rng.Below(r.headers.size());
  switch (g.rng.Below(3)) {
    case 0:
      r.headers.erase(r.headers.begin() + static_cast<long>(i));
      break;
    case 1:
      r.headers.push_back(r.headers[i]);
      break;
    default:
      // Never bend the credential into another user's: only this request's own bytes change.
      MutateBytes(g, r.headers[i].second);
      break;
  }
}

void MutateBody(Gen& g, Request& r) {
  if (g.rng.Chance(20)) {
    static const std::vector<std::string> kBodies = {"",
                                                     "null",
                                                     "[]",
                                                     "{}",
                                                     "[{}]",
                                                     "[[]]",
                                                     "\"x\"",
                                                     "1",
                                                     "{\"a\":",
                                                     "[{\"id\":1},2]",
                                                     "{\"title\":\"a\",\"title\":\"b\"}",
                                                     "\xef\xbb\xbf{}",
                                                     "{\"\\u0000\":1}"};
    r.body = g.rng.Pick(kBodies);
  } else if (g.rng.Chance(15)) {
    size_t depth = 1 + g.rng.Below(g.rng.Chance(10) ? 2000 : 60);
    r.body = std::string(depth, '[') + "1" + std::string(g.rng.Chance(80) ? depth : 0, ']');
  } else if (g.rng.Chance(5)) {
    r.body = std::string(1 + g.rng.Below(300000), ' ') + r.body;
  } else {
    MutateBytes(g, r.body);
  }
  r.send_body = true;
}

void MutatePath(Gen& g, std::string& path) {
  static const std::vector<std::string> kTails = {"/",   "/x", "//", "/..",  "/%2e%2e", "?",
                                                  "%00", "%",  ";x", "/rpc", "#frag",   "%2F"};
  if (g.rng.Chance(50)) {
    path += g.rng.Pick(kTails);
  } else {
    MutateBytes(g, path);
    if (path.empty() || path[0] != '/') path.insert(0, "/");
  }
}

}  // namespace

void Mutate(Gen& g, Request& r) {
  if (g.rng.Chance(45)) return;  // most requests stay as supabase-js sends them
  for (size_t i = 0, n = 1 + g.rng.Below(3); i < n; ++i) {
    switch (g.rng.Below(12)) {
      case 0: {
        static const std::vector<std::string> kMethods = {
            "GET",     "POST", "PATCH", "PUT",      "DELETE",  "HEAD",
            "OPTIONS", "get",  "TRACE", "PROPFIND", "CONNECT", "P\xc3\xb6ST"};
        r.method = g.rng.Pick(kMethods);
        break;
      }
      case 1:
        MutatePath(g, r.path);
        break;
      case 2:
      case 3:
      case 4:
        MutateParams(g, r);
        break;
      case 5:
      case 6:
        MutateHeaders(g, r);
        break;
      case 7:
      case 8:
        MutateBody(g, r);
        break;
      case 9:
        r.form_encode = !r.form_encode;
        if (g.rng.Chance(20)) {
          r.body.clear();
          r.no_length = true;
        }
        break;
      case 10: {
        static const std::vector<std::string> kSuffixes = {
            "&",     "&&",         "=",       "&=",       "&a",      "&a=b=c",           "%",
            "%zz",   "%00",        "&select", "&select=", "&order=", "&limit=1&limit=2", "&%00=1",
            "&or=(", "&select=*,*"};
        r.raw_query_suffix += (r.params.empty() ? "?" : "") + g.rng.Pick(kSuffixes);
        break;
      }
      default:
        MutateParams(g, r);
        break;
    }
  }
}

}  // namespace ib::livefuzz
