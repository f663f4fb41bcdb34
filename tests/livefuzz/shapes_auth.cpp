// GoTrue request shapes as supabase-js 2.x (gotrue-js) sends them: sign-up, password and
// refresh-token grants, get and update the user, logout, and the admin user routes a
// non-service caller must be refused. A user's request carries only that user's email,
// password and refresh token; others use fresh or unknown addresses.
#include <string>

#include "tests/livefuzz/gen.h"

namespace ib::livefuzz {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c < 0x20) {
      out += "\\u001f";
      continue;
    }
    out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string Email(Gen& g) {
  switch (g.rng.Below(6)) {
    case 0:
    case 1:
      if (g.self) return g.self->email;
      [[fallthrough]];
    case 2:
      return "fz" + std::to_string(g.rng.Below(1000000)) + "@fuzz.test";
    case 3:
      return std::string(1 + g.rng.Below(400), 'e') + "@fuzz.test";
    case 4:
      return g.rng.Chance(50) ? "not-an-email" : "a@b";
    default:
      return g.Value();
  }
}

std::string Password(Gen& g) {
  if (g.self && g.rng.Chance(50)) return g.self->password;
  static const std::vector<std::string> kPasswords = {"secret123", "", "x", "pw",
                                                      std::string(200, 'p')};
  return g.rng.Chance(80) ? g.rng.Pick(kPasswords) : g.Value();
}

// User metadata: an object, sometimes nested a little, sometimes not an object at all.
std::string Metadata(Gen& g) {
  if (g.rng.Chance(10)) return g.JsonValueFor('t');
  std::string inner = Quote(g.Value());
  for (size_t i = 0, n = g.rng.Below(g.rng.Chance(10) ? 300 : 4); i < n; ++i) {
    inner = "{" + Quote(g.Word()) + ":" + inner + "}";
  }
  return "{\"name\":" + Quote(g.Word()) + ",\"nested\":" + inner + "}";
}

}  // namespace

Request AuthCall(Gen& g) {
  Request r;
  r.method = "POST";
  switch (g.rng.Below(11)) {
    case 0:
      r.path = "/auth/v1/signup";
      r.body = "{\"email\":" + Quote(Email(g)) + ",\"password\":" + Quote(Password(g)) +
               ",\"data\":" + Metadata(g) + ",\"gotrue_meta_security\":{}}";
      break;
    case 1:
    case 2:
      r.path = "/auth/v1/token";
      r.params.emplace_back("grant_type", "password");
      r.body = "{\"email\":" + Quote(Email(g)) + ",\"password\":" + Quote(Password(g)) +
               ",\"gotrue_meta_security\":{}}";
      break;
    case 3: {
      r.path = "/auth/v1/token";
      r.params.emplace_back("grant_type", g.rng.Chance(85) ? "refresh_token" : g.Word());
      std::string token = g.self && g.rng.Chance(60) ? g.self->refresh_token : g.Value();
      r.body = "{\"refresh_token\":" + Quote(token) + "}";
      break;
    }
    case 4:
    case 5:
      r.method = "GET";
      r.path = "/auth/v1/user";
      break;
    case 6: {
      r.method = "PUT";
      r.path = "/auth/v1/user";
      static const std::vector<std::string> kFields = {"data",     "data",  "data", "email",
                                                       "password", "phone", "nonce"};
      std::string field = g.rng.Pick(kFields);
      std::string value = field == "data"    ? Metadata(g)
                          : field == "email" ? Quote(Email(g))
                                             : Quote(Password(g));
      r.body = "{" + Quote(field) + ":" + value + "}";
      break;
    }
    case 7: {
      r.path = "/auth/v1/logout";
      static const std::vector<std::string> kScopes = {"global", "local", "others", "nope"};
      if (g.rng.Chance(70)) r.params.emplace_back("scope", g.rng.Pick(kScopes));
      break;
    }
    case 8: {
      static const std::vector<std::string> kMethods = {"GET", "GET", "PUT", "DELETE", "POST"};
      r.method = g.rng.Pick(kMethods);
      r.path = "/auth/v1/admin/users";
      if (r.method != "POST" && (r.method != "GET" || g.rng.Chance(50))) {
        r.path += "/" + g.UserId();
      }
      if (r.method == "PUT" || r.method == "POST") {
        r.body = "{\"email\":" + Quote(Email(g)) + ",\"user_metadata\":" + Metadata(g) + "}";
      }
      if (r.method == "GET" && g.rng.Chance(30)) r.params.emplace_back("page", g.ValueFor('i'));
      break;
    }
    case 9: {
      static const std::vector<std::string> kPaths = {
          "/auth/v1/settings", "/auth/v1/health",    "/auth/v1/otp",       "/auth/v1/recover",
          "/auth/v1/verify",   "/auth/v1/authorize", "/auth/v1/magiclink", "/auth/v1/"};
      r.method = g.rng.Chance(50) ? "GET" : "POST";
      r.path = g.rng.Pick(kPaths);
      if (r.method == "POST") r.body = "{\"email\":" + Quote(Email(g)) + "}";
      break;
    }
    default:
      r.path = "/auth/v1/token";
      r.params.emplace_back("grant_type", "password");
      r.body = g.rng.Chance(50) ? "{\"email\":" + Quote(Email(g)) + "}" : g.Value();
      break;
  }
  AddAuthHeaders(g, r);
  if (!r.body.empty()) {
    r.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
    r.send_body = true;
  }
  return r;
}

}  // namespace ib::livefuzz
