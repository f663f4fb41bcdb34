// profiles.email is the auth user's email: a signed-in user may write it only with that one
// value (inserting their own profile, or writing it back unchanged). Anything else is 42501
// naming the column, with nothing written, so nobody can squat another person's address and
// block their sign-up; the service role still may.
#include <doctest/doctest.h>

#include "tests/e2e/support/server_process.h"

using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

struct Users {
  ServerProcess server{{"--password-cost", "minimal"}};
  std::string a = server.CreateUser("alice@example.com");
  std::string b = server.CreateUser("bob@example.com");
  std::string ta = ServerProcess::Token("authenticated", a);

  Reply As(const std::string& token, const std::string& method, const std::string& path,
           const std::string& body = "", httplib::Headers h = {}) const {
    return server.Send(method, path, token, body, std::move(h));
  }
  Reply AsService(const std::string& method, const std::string& path,
                  const std::string& body = "") const {
    return server.Send(method, path, server.service_key(), body,
                       {{"apikey", server.service_key()}});
  }
  // Alice's profile as stored ("null" when there is none).
  json Profile() const {
    json rows = AsService("GET", "/rest/v1/profiles?select=email,bio&id=eq." + a).json();
    return rows.empty() ? json() : rows[0];
  }
};

void CheckRefused(const Reply& r) {
  CHECK(r.status == 403);
  CHECK(r.json()["code"] == "42501");
  CHECK(r.json()["message"] == "permission denied for column email of table profiles");
}

}  // namespace

TEST_CASE("profile email: a user cannot change it, so cannot squat another address") {
  Users u;
  const std::string mine = "/rest/v1/profiles?id=eq." + u.a;
  // Bob's address: refused with 42501, not a 409 that would reveal the address is taken.
  CheckRefused(u.As(u.ta, "PATCH", mine, R"({"email":"bob@example.com"})"));
  // An address nobody has yet, together with an allowed column: nothing at all is written.
  CheckRefused(u.As(u.ta, "PATCH", mine, R"({"email":"carol@example.com","bio":"squat"})"));
  CHECK(u.Profile() == json({{"email", "alice@example.com"}, {"bio", nullptr}}));
  // Carol's sign-up still works: her address was never taken.
  Reply signup = u.server.Send("POST", "/auth/v1/signup", u.server.anon_key(),
                               R"({"email":"carol@example.com","password":"secret123"})");
  CHECK(signup.status == 200);
  CHECK(u.AsService("GET", "/rest/v1/profiles?email=eq.carol@example.com").json().size() == 1);

  // Positive controls: other columns, and the email written back unchanged, are allowed.
  CHECK(u.As(u.ta, "PATCH", mine, R"({"bio":"hi"})").status == 204);
  CHECK(u.As(u.ta, "PATCH", mine, R"({"email":"alice@example.com","bio":"again"})").status == 204);
  CHECK(u.Profile() == json({{"email", "alice@example.com"}, {"bio", "again"}}));
  // anon may update no profile at all: nothing matches, nothing changes.
  CHECK(u.As(u.server.anon_key(), "PATCH", mine, R"({"email":"x@example.com"})").status == 204);
  CHECK(u.Profile()["email"] == "alice@example.com");
  // The service role still may change it.
  CHECK(u.AsService("PATCH", mine, R"({"email":"alice2@example.com"})").status == 204);
  CHECK(u.Profile()["email"] == "alice2@example.com");
}

TEST_CASE("profile email: an own profile is inserted only with one's own auth email") {
  Users u;
  const std::string mine = "/rest/v1/profiles?id=eq." + u.a;
  REQUIRE(u.As(u.ta, "DELETE", mine).status == 204);
  REQUIRE(u.Profile().is_null());
  const json other = {{"id", u.a}, {"email", "carol@example.com"}};
  CheckRefused(u.As(u.ta, "POST", "/rest/v1/profiles", other.dump()));
  // Bob's address: still 42501 (the check answers before the unique constraint could).
  CheckRefused(u.As(u.ta, "POST", "/rest/v1/profiles",
                    json({{"id", u.a}, {"email", "bob@example.com"}}).dump()));
  // Without an email: refused too, the row must carry it.
  CheckRefused(u.As(u.ta, "POST", "/rest/v1/profiles", json({{"id", u.a}}).dump()));
  // Bulk: one bad row refuses the request.
  CheckRefused(u.As(u.ta, "POST", "/rest/v1/profiles", json::array({other}).dump()));
  // Upsert: the proposed row is checked whether it then inserts or updates.
  const httplib::Headers merge = {{"Prefer", "resolution=merge-duplicates"}};
  CheckRefused(u.As(u.ta, "POST", "/rest/v1/profiles", other.dump(), merge));
  CHECK(u.Profile().is_null());

  // Positive control: the own auth email inserts, and an upsert of it updates.
  const json own = {{"id", u.a}, {"email", "alice@example.com"}};
  CHECK(u.As(u.ta, "POST", "/rest/v1/profiles", own.dump()).status == 201);
  CheckRefused(u.As(u.ta, "POST", "/rest/v1/profiles?on_conflict=id", other.dump(), merge));
  CHECK(u.Profile()["email"] == "alice@example.com");
  json own_bio = own;
  own_bio["bio"] = "upserted";
  CHECK(u.As(u.ta, "POST", "/rest/v1/profiles?on_conflict=id", own_bio.dump(), merge).status ==
        200);
  CHECK(u.Profile() == json({{"email", "alice@example.com"}, {"bio", "upserted"}}));
}
