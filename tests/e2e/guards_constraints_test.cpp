// A guard decides before a constraint answers, on every REST write path: as in Postgres, a
// policy's WITH CHECK runs before unique, foreign-key, not-null and check constraints, so a
// refused write answers 42501 (403 for a user, 401 for anon) whether or not another user's row
// collides, and the error tells the caller nothing about rows it cannot read. Each case has a
// positive control: the caller's own duplicate still answers 23505.
#include <doctest/doctest.h>

#include "tests/e2e/support/server_process.h"

using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

constexpr const char* kProgress = "/rest/v1/user_progress";
constexpr const char* kOnConflict = "/rest/v1/user_progress?on_conflict=user_id,category,skill";

struct Attacker {
  ServerProcess server{{"--password-cost", "minimal"}};
  std::string alice, bob, ta, tb;

  Attacker() {
    alice = server.CreateUser("alice@example.com");
    bob = server.CreateUser("bob@example.com");
    ta = ServerProcess::Token("authenticated", alice);
    tb = ServerProcess::Token("authenticated", bob);
  }
  static json Progress(const std::string& uid, const std::string& skill) {
    return {{"user_id", uid}, {"category", "c"}, {"skill", skill}, {"xp", 1}};
  }
  Reply Post(const std::string& token, const std::string& path, const json& body,
             httplib::Headers h = {}) const {
    return server.Send("POST", path, token, body.dump(), h);
  }
  Reply AsService(const std::string& method, const std::string& path, const json& body) const {
    return server.Send(method, path, server.service_key(), body.is_null() ? "" : body.dump(),
                       {{"apikey", server.service_key()}});
  }
  std::string BobsSession() const {
    Reply r = server.Send("POST", "/rest/v1/interview_sessions?select=id", tb,
                          json({{"user_id", bob}, {"title", "bob's"}}).dump(),
                          {{"Prefer", "return=representation"}});
    REQUIRE(r.status == 201);
    return r.json()[0]["id"];
  }
};

void CheckRefused(const Reply& r, int status) {
  CHECK(r.status == status);
  CHECK(r.json()["code"] == "42501");
  CHECK(r.body.find("already exists") == std::string::npos);
}

void CheckDuplicate(const Reply& r) {
  CHECK(r.status == 409);
  CHECK(r.json()["code"] == "23505");
}

}  // namespace

TEST_CASE("guards before constraints: single insert colliding with another user's row") {
  Attacker t;
  REQUIRE(t.Post(t.tb, kProgress, Attacker::Progress(t.bob, "s")).status == 201);
  CheckRefused(t.Post(t.ta, kProgress, Attacker::Progress(t.bob, "s")), 403);
  CheckRefused(t.Post(t.server.anon_key(), kProgress, Attacker::Progress(t.bob, "s")), 401);
  // Bob's profile exists (made at sign-up): its primary key must not answer either.
  CheckRefused(t.Post(t.ta, "/rest/v1/profiles", {{"id", t.bob}, {"email", "x@example.com"}}), 403);
  // Positive control: Alice's own duplicate is a unique violation.
  REQUIRE(t.Post(t.ta, kProgress, Attacker::Progress(t.alice, "s")).status == 201);
  CheckDuplicate(t.Post(t.ta, kProgress, Attacker::Progress(t.alice, "s")));
}

TEST_CASE("guards before constraints: foreign-key, not-null and check constraints") {
  Attacker t;
  const std::string bobs = t.BobsSession();
  const std::string missing = "00000000-0000-4000-8000-000000000000";
  json response = {{"interview_id", missing}, {"role", "user"}, {"content", "x"}};
  // A session that does not exist and one that is Bob's answer alike.
  CheckRefused(t.Post(t.ta, "/rest/v1/interview_responses", response), 403);
  response["interview_id"] = bobs;
  CheckRefused(t.Post(t.ta, "/rest/v1/interview_responses", response), 403);
  response["role"] = "bogus";
  CheckRefused(t.Post(t.ta, "/rest/v1/interview_responses", response), 403);
  CheckRefused(t.Post(t.ta, kProgress, {{"user_id", nullptr}, {"category", "c"}, {"skill", "s"}}),
               403);
  // Positive control: the service bypasses guards and meets the foreign key.
  response["interview_id"] = missing;
  response["role"] = "user";
  Reply fk = t.AsService("POST", "/rest/v1/interview_responses", response);
  CHECK(fk.status == 409);
  CHECK(fk.json()["code"] == "23503");
}

TEST_CASE("guards before constraints: bulk insert with one colliding foreign row") {
  Attacker t;
  REQUIRE(t.Post(t.tb, kProgress, Attacker::Progress(t.bob, "s")).status == 201);
  json bulk = json::array({Attacker::Progress(t.alice, "mine"), Attacker::Progress(t.bob, "s")});
  CheckRefused(t.Post(t.ta, kProgress, bulk), 403);
  CheckRefused(t.Post(t.server.anon_key(), kProgress, bulk), 401);
  CHECK(t.AsService("GET", "/rest/v1/user_progress?select=skill", nullptr).json().size() == 1);
  // Positive control: a bulk repeating Alice's own row.
  json own = json::array({Attacker::Progress(t.alice, "a"), Attacker::Progress(t.alice, "a")});
  CheckDuplicate(t.Post(t.ta, kProgress, own));
}

TEST_CASE("guards before constraints: upsert, merge and ignore, into another user's key") {
  Attacker t;
  REQUIRE(t.Post(t.tb, kProgress, Attacker::Progress(t.bob, "s")).status == 201);
  for (const char* resolution : {"resolution=merge-duplicates", "resolution=ignore-duplicates"}) {
    CAPTURE(resolution);
    // Bob's row exists under this key, and under the other key it does not: same answer.
    CheckRefused(
        t.Post(t.ta, kOnConflict, Attacker::Progress(t.bob, "s"), {{"Prefer", resolution}}), 403);
    CheckRefused(
        t.Post(t.ta, kOnConflict, Attacker::Progress(t.bob, "none"), {{"Prefer", resolution}}),
        403);
    CheckRefused(t.Post(t.server.anon_key(), kOnConflict, Attacker::Progress(t.bob, "s"),
                        {{"Prefer", resolution}}),
                 401);
  }
  CHECK(t.AsService("GET", "/rest/v1/user_progress?select=xp", nullptr).json() ==
        json::parse(R"([{"xp":1}])"));
  // Positive control: Alice's own upserts take the conflict path.
  REQUIRE(t.Post(t.ta, kProgress, Attacker::Progress(t.alice, "s")).status == 201);
  CHECK(t.Post(t.ta, kOnConflict, Attacker::Progress(t.alice, "s"),
               {{"Prefer", "resolution=merge-duplicates"}})
            .status == 200);
  Reply ignored = t.Post(t.ta, kOnConflict, Attacker::Progress(t.alice, "s"),
                         {{"Prefer", "resolution=ignore-duplicates, return=representation"}});
  CHECK(ignored.status == 201);
  CHECK(ignored.json() == json::array());
}

TEST_CASE("guards before constraints: PATCH moving a row onto another user's key") {
  Attacker t;
  REQUIRE(t.Post(t.tb, kProgress, Attacker::Progress(t.bob, "s")).status == 201);
  REQUIRE(t.Post(t.ta, kProgress, Attacker::Progress(t.alice, "s")).status == 201);
  REQUIRE(t.Post(t.ta, kProgress, Attacker::Progress(t.alice, "t")).status == 201);
  const std::string mine = std::string(kProgress) + "?skill=eq.t&user_id=eq." + t.alice;
  CheckRefused(
      t.server.Send("PATCH", mine, t.ta, json({{"user_id", t.bob}, {"skill", "s"}}).dump()), 403);
  CheckRefused(t.server.Send("PATCH", mine, t.ta, json({{"user_id", nullptr}}).dump()), 403);
  // Positive control: onto Alice's own key it is a unique violation.
  CheckDuplicate(t.server.Send("PATCH", mine, t.ta, json({{"skill", "s"}}).dump()));
  // Anon's update guard selects no rows at all, so nothing is written and nothing refused.
  CHECK(t.server.Send("PATCH", mine, t.server.anon_key(), json({{"skill", "s"}}).dump()).status ==
        204);
}
