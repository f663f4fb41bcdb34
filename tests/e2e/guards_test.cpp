// The RLS port over HTTP with two users and anon (docs/guards.md): every table allowed and
// refused, embedding across owners, upserts into another user's row, bulk inserts with one
// foreign row, moving a session to someone else, and protected columns.
#include <doctest/doctest.h>

#include "tests/e2e/support/server_process.h"

using ib::e2e::Encode;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

struct TwoUsers {
  ServerProcess server{{"--password-cost", "minimal"}};
  std::string a, b, ta, tb;
  std::string session_a, session_b;

  TwoUsers() {
    a = server.CreateUser("alice@example.com");
    b = server.CreateUser("bob@example.com");
    ta = ServerProcess::Token("authenticated", a);
    tb = ServerProcess::Token("authenticated", b);
    session_a = NewSession(ta, a, "alice's");
    session_b = NewSession(tb, b, "bob's");
  }

  std::string NewSession(const std::string& token, const std::string& uid,
                         const std::string& title) {
    Reply r = server.Send("POST", "/rest/v1/interview_sessions?select=id", token,
                          json({{"user_id", uid}, {"title", title}}).dump(),
                          {{"Prefer", "return=representation"}});
    REQUIRE(r.status == 201);
    return r.json()[0]["id"];
  }
  Reply As(const std::string& token, const std::string& method, const std::string& path,
           const std::string& body = "", httplib::Headers h = {}) const {
    return server.Send(method, path, token, body, h);
  }
  size_t Count(const std::string& path) const {
    return server.Send("GET", path, server.service_key(), "", {{"apikey", server.service_key()}})
        .json()
        .size();
  }
};

}  // namespace

TEST_CASE("guards: users see only their own rows - anon sees only the leaderboard") {
  TwoUsers t;
  CHECK(t.As(t.ta, "GET", "/rest/v1/interview_sessions").json().size() == 1);
  CHECK(t.As(t.ta, "GET", "/rest/v1/interview_sessions?id=eq." + t.session_b).json() ==
        json::array());
  Reply counted =
      t.As(t.ta, "GET", "/rest/v1/interview_sessions?select=id", "", {{"Prefer", "count=exact"}});
  CHECK(counted.header("Content-Range") == "0-0/1");
  CHECK(t.As(t.server.anon_key(), "GET", "/rest/v1/interview_sessions").json() == json::array());
  CHECK(t.As(t.server.anon_key(), "GET", "/rest/v1/profiles").json() == json::array());
  CHECK(t.As(t.ta, "GET", "/rest/v1/profiles").json().size() == 1);
  CHECK(t.As(t.ta, "GET", "/rest/v1/profiles").json()[0]["id"] == t.a);
  // The service key sees everything.
  CHECK(t.Count("/rest/v1/interview_sessions") == 2);
}

TEST_CASE("guards: writes into another user's rows are refused or touch nothing") {
  TwoUsers t;
  // Insert owned by someone else: 403 for users, 401 for anon, nothing written.
  Reply foreign = t.As(t.ta, "POST", "/rest/v1/interview_sessions",
                       json({{"user_id", t.b}, {"title", "forged"}}).dump());
  CHECK(foreign.status == 403);
  CHECK(foreign.json()["code"] == "42501");
  Reply anon = t.As(t.server.anon_key(), "POST", "/rest/v1/interview_sessions",
                    json({{"user_id", t.b}, {"title", "anon"}}).dump());
  CHECK(anon.status == 401);
  CHECK(anon.json()["code"] == "42501");
  // Bulk insert with one foreign row: the whole request is refused.
  json bulk =
      json::array({{{"user_id", t.a}, {"title", "mine"}}, {{"user_id", t.b}, {"title", "theirs"}}});
  CHECK(t.As(t.ta, "POST", "/rest/v1/interview_sessions", bulk.dump()).status == 403);
  CHECK(t.Count("/rest/v1/interview_sessions") == 2);

  // Update and delete of hidden rows touch nothing.
  Reply patch = t.As(t.ta, "PATCH", "/rest/v1/interview_sessions?id=eq." + t.session_b,
                     R"({"title":"hijacked"})", {{"Prefer", "return=representation"}});
  CHECK(patch.status == 200);
  CHECK(patch.json() == json::array());
  CHECK(t.As(t.ta, "DELETE", "/rest/v1/interview_sessions?id=eq." + t.session_b).status == 204);
  CHECK(t.Count("/rest/v1/interview_sessions?title=eq.bob%27s") == 1);

  // Handing a session to someone else fails the update check.
  Reply moved = t.As(t.ta, "PATCH", "/rest/v1/interview_sessions?id=eq." + t.session_a,
                     json({{"user_id", t.b}}).dump());
  CHECK(moved.status == 403);
  CHECK(moved.json()["code"] == "42501");
  CHECK(t.Count("/rest/v1/interview_sessions?user_id=eq." + t.a) == 1);
}

TEST_CASE("guards: upsert into another user's row is refused") {
  TwoUsers t;
  json row = {{"user_id", t.b}, {"category", "c"}, {"skill", "s"}, {"xp", 1}};
  REQUIRE(t.As(t.tb, "POST", "/rest/v1/user_progress", row.dump()).status == 201);
  Reply theirs =
      t.As(t.ta, "POST", "/rest/v1/user_progress?on_conflict=user_id,category,skill",
           json({{"user_id", t.b}, {"category", "c"}, {"skill", "s"}, {"xp", 99}}).dump(),
           {{"Prefer", "resolution=merge-duplicates"}});
  CHECK(theirs.status == 403);
  CHECK(theirs.json()["code"] == "42501");
  Reply ignored =
      t.As(t.ta, "POST", "/rest/v1/user_progress?on_conflict=user_id,category,skill",
           json({{"user_id", t.b}, {"category", "c"}, {"skill", "s"}, {"xp", 99}}).dump(),
           {{"Prefer", "resolution=ignore-duplicates, return=representation"}});
  // The insert check applies to the proposed row before its conflict is looked for, so
  // ignoring the duplicate cannot reveal that Bob's row exists.
  CHECK(ignored.status == 403);
  CHECK(ignored.json()["code"] == "42501");
  CHECK(t.server
            .Send("GET", "/rest/v1/user_progress?select=xp", t.server.service_key(), "",
                  {{"apikey", t.server.service_key()}})
            .json() == json::parse(R"([{"xp":1}])"));
}

TEST_CASE("guards: embedding follows the embedded table's guard") {
  TwoUsers t;
  // Bob's feedback row on Alice's session (written by the service) stays invisible to Alice.
  json fb = {{"interview_id", t.session_a}, {"user_id", t.b}, {"overall_score", 50}};
  REQUIRE(t.server
              .Send("POST", "/rest/v1/interview_feedback", t.server.service_key(), fb.dump(),
                    {{"apikey", t.server.service_key()}})
              .status == 201);
  Reply embedded = t.As(
      t.ta, "GET", "/rest/v1/interview_sessions?select=title,interview_feedback(overall_score)");
  REQUIRE(embedded.json().size() == 1);
  CHECK(embedded.json()[0]["interview_feedback"] == json::array());
  // Bob sees his feedback but its session (Alice's) embeds as null.
  Reply parent = t.As(t.tb, "GET",
                      "/rest/v1/interview_feedback?select=overall_score,interview_sessions(title)");
  REQUIRE(parent.json().size() == 1);
  CHECK(parent.json()[0]["interview_sessions"].is_null());
  // Responses are owned through their session.
  json resp = {{"interview_id", t.session_b}, {"role", "user"}, {"content", "x"}};
  CHECK(t.As(t.ta, "POST", "/rest/v1/interview_responses", resp.dump()).status == 403);
  resp["interview_id"] = t.session_a;
  CHECK(t.As(t.ta, "POST", "/rest/v1/interview_responses", resp.dump()).status == 201);
  CHECK(t.As(t.tb, "GET", "/rest/v1/interview_responses").json() == json::array());
}

TEST_CASE("guards: protected columns and service-only tables") {
  TwoUsers t;
  Reply xp = t.As(t.ta, "PATCH", "/rest/v1/profiles?id=eq." + t.a, R"({"total_xp":100000})");
  CHECK(xp.status == 403);
  CHECK(xp.json()["code"] == "42501");
  CHECK(xp.json()["message"].get<std::string>().find("total_xp") != std::string::npos);
  CHECK(t.As(t.ta, "PATCH", "/rest/v1/profiles?id=eq." + t.a, R"({"bio":"hi"})").status == 204);
  Reply fid = t.As(t.ta, "PATCH", "/rest/v1/interview_sessions?id=eq." + t.session_a,
                   json({{"feedback_id", t.session_a}}).dump());
  CHECK(fid.status == 403);
  CHECK(t.As(t.ta, "POST", "/rest/v1/achievements",
             json({{"user_id", t.a}, {"achievement_type", "x"}, {"title", "X"}}).dump())
            .status == 403);
  CHECK(t.As(t.ta, "POST", "/rest/v1/leaderboard", json({{"user_id", t.a}}).dump()).status == 403);
  CHECK(t.As(t.server.anon_key(), "GET", "/rest/v1/leaderboard").status == 200);
  // The service role may write protected columns.
  CHECK(t.server
            .Send("PATCH", "/rest/v1/profiles?id=eq." + t.a, t.server.service_key(),
                  R"({"total_xp":5})", {{"apikey", t.server.service_key()}})
            .status == 204);
}
