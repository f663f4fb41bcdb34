// /rest/v1 over HTTP against the real binary: the PostgREST behaviours supabase-js relies on
// (reads, embeds, writes, errors; docs/wire.md), mapped onto our schema.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/e2e/support/server_process.h"

using ib::e2e::Encode;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

// One server with one user owning 50 sessions: titles s00..s49, duration_minutes = i for
// i < 40 else null, status completed for even i, and feedback on the first three.
struct Fixture {
  ServerProcess server{{"--password-cost", "minimal"}};
  std::string uid;
  std::vector<std::string> ids;
  httplib::Headers h;

  Fixture() {
    uid = server.CreateUser("rest@example.com");
    h = {{"apikey", server.service_key()}};
    json rows = json::array();
    for (int i = 0; i < 50; ++i) {
      char title[8];
      std::snprintf(title, sizeof title, "s%02d", i);
      json row = {
          {"user_id", uid}, {"title", title}, {"status", i % 2 == 0 ? "completed" : "pending"}};
      row["duration_minutes"] = i < 40 ? json(i) : json(nullptr);
      rows.push_back(row);
    }
    Reply r = Post("/rest/v1/interview_sessions?select=id&columns=" +
                       Encode("\"user_id\",\"title\",\"status\",\"duration_minutes\""),
                   rows.dump(), {{"Prefer", "return=representation"}});
    REQUIRE(r.status == 201);
    for (const auto& row : r.json()) ids.push_back(row["id"]);
    REQUIRE(ids.size() == 50);
    for (int i = 0; i < 3; ++i) {
      json fb = {{"interview_id", ids[i]}, {"user_id", uid}, {"overall_score", 70 + i}};
      REQUIRE(Post("/rest/v1/interview_feedback", fb.dump()).status == 201);
    }
  }

  Reply Get(const std::string& path, httplib::Headers extra = {}) const {
    return Call("GET", path, "", std::move(extra));
  }
  Reply Post(const std::string& path, const std::string& body, httplib::Headers extra = {}) const {
    return Call("POST", path, body, std::move(extra));
  }
  Reply Call(const std::string& method, const std::string& path, const std::string& body,
             httplib::Headers extra = {}) const {
    extra.insert(h.begin(), h.end());
    return server.Send(method, path, server.service_key(), body, extra);
  }
};

std::vector<std::string> Titles(const Reply& r) {
  std::vector<std::string> out;
  for (const auto& row : r.json()) out.push_back(row["title"]);
  return out;
}

}  // namespace

TEST_CASE("rest: reads, filters and their quoting rules") {
  Fixture f;
  Reply all = f.Get("/rest/v1/interview_sessions?select=*");
  CHECK(all.status == 200);
  CHECK(all.json().size() == 50);
  CHECK(all.header("Content-Type") == "application/json; charset=utf-8");
  CHECK(all.header("Content-Range") == "0-49/*");

  Reply aliased = f.Get("/rest/v1/interview_sessions?select=id,t:title&id=eq." + f.ids[3]);
  REQUIRE(aliased.json().size() == 1);
  CHECK(aliased.json()[0].size() == 2);
  CHECK(aliased.json()[0]["t"] == "s03");

  Reply repeated = f.Get(
      "/rest/v1/interview_sessions?select=title&duration_minutes=gt.10"
      "&duration_minutes=lt.13&order=title");
  CHECK(Titles(repeated) == std::vector<std::string>{"s11", "s12"});

  REQUIRE(f.Call("PATCH", "/rest/v1/interview_sessions?id=eq." + f.ids[0],
                 R"({"title":"a b","description":"Foo bar"})")
              .status == 204);
  CHECK(Titles(f.Get("/rest/v1/interview_sessions?select=title&title=eq.a+b")) ==
        std::vector<std::string>{"a b"});
  CHECK(f.Get("/rest/v1/interview_sessions?description=like.*bar").json().size() == 1);
  CHECK(f.Get("/rest/v1/interview_sessions?description=like.foo%25").json().size() == 0);
  CHECK(f.Get("/rest/v1/interview_sessions?description=ilike.foo*").json().size() == 1);

  REQUIRE(f.Call("PATCH", "/rest/v1/interview_sessions?id=eq." + f.ids[1], R"({"title":"a,b"})")
              .status == 204);
  Reply in = f.Get("/rest/v1/interview_sessions?select=title&order=title&title=in." +
                   Encode("(\"a,b\",s02)"));
  CHECK(Titles(in) == std::vector<std::string>{"a,b", "s02"});
  CHECK(f.Get("/rest/v1/interview_sessions?id=in.()").json() == json::array());

  auto nulls = f.Get("/rest/v1/interview_sessions?duration_minutes=is.null").json().size();
  auto not_nulls = f.Get("/rest/v1/interview_sessions?duration_minutes=not.is.null").json().size();
  CHECK(nulls == 10);
  CHECK(nulls + not_nulls == 50);

  Reply ored = f.Get("/rest/v1/interview_sessions?select=title&order=title&or=" +
                     Encode("(title.eq.s05,and(duration_minutes.gt.37,duration_minutes.lt.40))"));
  CHECK(Titles(ored) == std::vector<std::string>{"s05", "s38", "s39"});

  Reply bad_op = f.Get("/rest/v1/interview_sessions?id=xx.1");
  CHECK(bad_op.status == 400);
  CHECK(bad_op.json()["code"] == "PGRST100");
  Reply bad_col = f.Get("/rest/v1/interview_sessions?nope=eq.1");
  CHECK(bad_col.status == 400);
  CHECK(bad_col.json()["code"] == "42703");
  Reply bad_case = f.Get("/rest/v1/interview_sessions?USER_ID=eq.1");
  CHECK(bad_case.json()["code"] == "42703");
  Reply missing = f.Get("/rest/v1/nosuch");
  CHECK(missing.status == 404);
  for (const char* key : {"code", "message", "details", "hint"})
    CHECK(missing.json().contains(key));
  Reply bad_value = f.Get("/rest/v1/interview_sessions?duration_minutes=eq.null");
  CHECK(bad_value.status == 400);
  CHECK(bad_value.json()["code"] == "22P02");
  CHECK(f.Get("/rest/v1/interview_sessions?created_at=gt.2000-01-01T00:00:00.000Z").json().size() ==
        50);
  CHECK(f.Get("/rest/v1/interview_sessions?created_at=gt.garbage").json()["code"] == "22007");
}

TEST_CASE("rest: ordering, paging, counts, HEAD and single objects") {
  Fixture f;
  Reply asc =
      f.Get("/rest/v1/interview_sessions?select=duration_minutes&order=duration_minutes.asc");
  CHECK(asc.json()[0]["duration_minutes"] == 0);
  CHECK(asc.json()[49]["duration_minutes"].is_null());
  Reply desc =
      f.Get("/rest/v1/interview_sessions?select=duration_minutes&order=duration_minutes.desc");
  CHECK(desc.json()[0]["duration_minutes"].is_null());
  Reply last = f.Get(
      "/rest/v1/interview_sessions?select=duration_minutes"
      "&order=duration_minutes.desc.nullslast,title.asc&limit=1");
  CHECK(last.json()[0]["duration_minutes"] == 39);

  Reply page = f.Get("/rest/v1/interview_sessions?offset=10&limit=10&order=title",
                     {{"Prefer", "count=exact"}});
  CHECK(page.status == 206);
  CHECK(page.header("Content-Range") == "10-19/50");
  CHECK(Titles(page).front() == "s10");
  Reply everything = f.Get("/rest/v1/interview_sessions?select=id", {{"Prefer", "count=exact"}});
  CHECK(everything.status == 200);
  CHECK(everything.header("Content-Range") == "0-49/50");
  Reply planned =
      f.Get("/rest/v1/interview_sessions?select=id&limit=1", {{"Prefer", "count=planned"}});
  CHECK(planned.header("Content-Range") == "0-0/50");

  Reply head =
      f.Call("HEAD", "/rest/v1/interview_sessions?select=*", "", {{"Prefer", "count=exact"}});
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("Content-Range") == "0-49/50");

  Reply none = f.Get("/rest/v1/interview_sessions?id=eq.00000000-0000-4000-8000-000000000000",
                     {{"Prefer", "count=exact"}});
  CHECK(none.status == 200);
  CHECK(none.json() == json::array());
  CHECK(none.header("Content-Range") == "*/0");
  Reply beyond = f.Get("/rest/v1/interview_sessions?offset=60", {{"Prefer", "count=exact"}});
  CHECK(beyond.status == 416);
  CHECK(beyond.json()["code"] == "PGRST103");
  CHECK(f.Get("/rest/v1/interview_sessions?offset=60").json() == json::array());
  CHECK(f.Get("/rest/v1/interview_sessions?limit=0").json() == json::array());
  // Older clients page with `Range: first-last` instead of offset/limit.
  Reply range = f.Get("/rest/v1/interview_sessions?select=title&order=title", {{"Range", "5-6"}});
  CHECK(range.status == 200);
  CHECK(Titles(range) == std::vector<std::string>{"s05", "s06"});
  Reply open_range = f.Get("/rest/v1/interview_sessions?select=title&order=title",
                           {{"Range", "48-"}, {"Prefer", "count=exact"}});
  CHECK(Titles(open_range) == std::vector<std::string>{"s48", "s49"});
  CHECK(open_range.header("Content-Range") == "48-49/50");

  httplib::Headers single = {{"Accept", "application/vnd.pgrst.object+json"}};
  Reply one = f.Get("/rest/v1/interview_sessions?id=eq." + f.ids[7], single);
  CHECK(one.status == 200);
  CHECK(one.json().is_object());
  CHECK(one.json()["title"] == "s07");
  CHECK(one.header("Content-Type").rfind("application/vnd.pgrst.object+json", 0) == 0);
  Reply zero =
      f.Get("/rest/v1/interview_sessions?id=eq.00000000-0000-4000-8000-000000000000", single);
  CHECK(zero.status == 406);
  CHECK(zero.json()["code"] == "PGRST116");
  CHECK(zero.json()["details"] == "The result contains 0 rows");
  Reply many = f.Get("/rest/v1/interview_sessions?limit=2", single);
  CHECK(many.json()["details"] == "The result contains 2 rows");

  Reply csv = f.Get("/rest/v1/interview_sessions?select=title,duration_minutes&order=title&limit=2",
                    {{"Accept", "text/csv"}});
  CHECK(csv.status == 200);
  CHECK(csv.body == "title,duration_minutes\ns00,0\ns01,1\n");
  Reply stripped = f.Get("/rest/v1/interview_sessions?select=title,description&order=title&limit=1",
                         {{"Accept", "application/vnd.pgrst.array+json;nulls=stripped"}});
  CHECK(stripped.json() == json::parse(R"([{"title":"s00"}])"));
  Reply unacceptable = f.Get("/rest/v1/interview_sessions", {{"Accept", "image/png"}});
  CHECK(unacceptable.status == 406);
  CHECK(unacceptable.json()["code"] == "PGRST107");
  Reply schema = f.Get("/rest/v1/interview_sessions", {{"Accept-Profile", "private"}});
  CHECK(schema.status == 406);
  CHECK(schema.json()["code"] == "PGRST106");
}

TEST_CASE("rest: embedding in both directions") {
  Fixture f;
  Reply to_one = f.Get(
      "/rest/v1/"
      "interview_feedback?select=overall_score,session:interview_sessions(title)&order=overall_"
      "score");
  REQUIRE(to_one.json().size() == 3);
  CHECK(to_one.json()[0]["session"]["title"] == "s00");
  CHECK(to_one.json()[0]["overall_score"] == 70);

  Reply to_many = f.Get(
      "/rest/v1/"
      "interview_sessions?select=title,interview_feedback(overall_score)&order=title&limit=4");
  CHECK(to_many.json()[0]["interview_feedback"][0]["overall_score"] == 70);
  CHECK(to_many.json()[3]["interview_feedback"] == json::array());
  // Several rows, unordered (aggregated straight from the rows) and ordered (through a sorted
  // subquery): the same objects, each a JSON object with its numbers and jsonb as JSON.
  REQUIRE(f.Post("/rest/v1/interview_feedback", json({{"interview_id", f.ids[1]},
                                                      {"user_id", f.uid},
                                                      {"overall_score", 90.5},
                                                      {"scores", json::array({json{{"k", 1}}})}})
                                                    .dump())
              .status == 201);
  const std::string two =
      "/rest/v1/interview_sessions?select=interview_feedback(overall_score,"
      "scores)&id=eq." +
      f.ids[1];
  json unordered = f.Get(two).json()[0]["interview_feedback"];
  json ordered =
      f.Get(two + "&interview_feedback.order=overall_score.desc").json()[0]["interview_feedback"];
  REQUIRE(unordered.size() == 2);
  std::sort(unordered.begin(), unordered.end(),
            [](const json& a, const json& b) { return a["overall_score"] > b["overall_score"]; });
  CHECK(unordered == ordered);
  CHECK(ordered == json::parse(R"([{"overall_score":90.50,"scores":[{"k":1}]},
                                   {"overall_score":71.00,"scores":[]}])"));

  Reply inner = f.Get(
      "/rest/v1/interview_sessions?select=title,interview_feedback!inner(overall_score)"
      "&interview_feedback.overall_score=eq.71",
      {{"Prefer", "count=exact"}});
  CHECK(Titles(inner) == std::vector<std::string>{"s01"});
  CHECK(inner.header("Content-Range") == "0-0/1");

  Reply trimmed = f.Get(
      "/rest/v1/interview_sessions?select=title,interview_feedback(overall_score)"
      "&interview_feedback.overall_score=eq.71&order=title&limit=3");
  CHECK(trimmed.json().size() == 3);
  CHECK(trimmed.json()[0]["interview_feedback"] == json::array());
  CHECK(trimmed.json()[1]["interview_feedback"].size() == 1);

  Reply hinted =
      f.Get("/rest/v1/interview_feedback?select=interview_sessions!interview_id(title)&limit=1");
  CHECK(hinted.status == 200);
  CHECK(hinted.json()[0]["interview_sessions"]["title"].is_string());
  Reply fk_name = f.Get(
      "/rest/v1/"
      "interview_feedback?select=interview_sessions!interview_feedback_interview_id_fkey(title)&"
      "limit=1");
  CHECK(fk_name.status == 200);

  // Three feedback rows on one session, newest-first limit 1 per parent.
  for (int score : {10, 20}) {
    json fb = {{"interview_id", f.ids[0]}, {"user_id", f.uid}, {"overall_score", score}};
    REQUIRE(f.Post("/rest/v1/interview_feedback", fb.dump()).status == 201);
  }
  Reply limited = f.Get(
      "/rest/v1/interview_sessions?select=title,interview_feedback(overall_score)"
      "&interview_feedback.order=overall_score.desc&interview_feedback.limit=1"
      "&id=eq." +
      f.ids[0]);
  CHECK(limited.json()[0]["interview_feedback"] == json::parse(R"([{"overall_score":70}])"));

  Reply anti = f.Get(
      "/rest/v1/interview_sessions?select=title,interview_feedback(id)"
      "&interview_feedback=is.null",
      {{"Prefer", "count=exact"}});
  CHECK(anti.header("Content-Range").substr(anti.header("Content-Range").find('/')) == "/47");
  Reply no_rel = f.Get("/rest/v1/interview_sessions?select=leaderboard(*)");
  CHECK(no_rel.status == 400);
  CHECK(no_rel.json()["code"] == "PGRST200");
  Reply not_embedded = f.Get("/rest/v1/interview_sessions?voice_analytics.id=eq.1");
  CHECK(not_embedded.status == 400);
  CHECK(not_embedded.json()["code"] == "PGRST108");
  Reply ordered_by_parent = f.Get(
      "/rest/v1/interview_feedback?select=overall_score,s:interview_sessions(title)"
      "&order=s(title).desc&limit=1");
  CHECK(ordered_by_parent.status == 200);
  CHECK(ordered_by_parent.json()[0]["s"]["title"] == "s02");
}

// The text between `prefix` and `suffix`, which must enclose the whole body.
std::string Between(const std::string& body, const std::string& prefix, const std::string& suffix) {
  REQUIRE(body.size() >= prefix.size() + suffix.size());
  REQUIRE(body.compare(0, prefix.size(), prefix) == 0);
  REQUIRE(body.compare(body.size() - suffix.size(), suffix.size(), suffix) == 0);
  return body.substr(prefix.size(), body.size() - prefix.size() - suffix.size());
}

TEST_CASE("rest: an embedded row is written exactly as the same row at the top level") {
  Fixture f;
  // Values whose JSON text SQLite's own json functions would write differently: a jsonb number
  // that needs 17 digits, escapes and non-ASCII text inside jsonb, decimals, timestamps.
  json session = {{"user_id", f.uid},
                  {"title", "caf\u00e9 \"q\""},
                  {"metadata", json::parse(R"({"\u00e9":"a\u0001\"b\\","n":[1.5,1e300,-0.0]})")},
                  {"questions", 0.30000000000000004},
                  {"answers", "plain"},
                  {"feedback", json::array({true, nullptr, 12345678901234567890ULL})},
                  {"overall_score", 87.5},
                  {"technical_score", 3},
                  {"started_at", "2024-05-01T12:00:00.5Z"}};
  Reply made = f.Post("/rest/v1/interview_sessions?select=id", session.dump(),
                      {{"Prefer", "return=representation"}});
  REQUIRE(made.status == 201);
  const std::string sid = made.json()[0]["id"];
  json feedback = {{"interview_id", sid},
                   {"user_id", f.uid},
                   {"overall_score", 66.125},
                   {"scores", json::parse(R"([{"k":0.1},{"k":1e-7}])")},
                   {"metadata", 2.5e-5}};
  Reply fb = f.Post("/rest/v1/interview_feedback?select=id", feedback.dump(),
                    {{"Prefer", "return=representation"}});
  REQUIRE(fb.status == 201);
  const std::string fid = fb.json()[0]["id"];

  const std::string session_row =
      Between(f.Get("/rest/v1/interview_sessions?select=*&id=eq." + sid).body, "[", "]");
  const std::string feedback_row =
      Between(f.Get("/rest/v1/interview_feedback?select=*&id=eq." + fid).body, "[", "]");
  CHECK(json::parse(session_row)["questions"].get<double>() == 0.30000000000000004);

  // To-one: the session under its feedback.
  CHECK(
      Between(f.Get("/rest/v1/interview_feedback?select=s:interview_sessions(*)&id=eq." + fid).body,
              "[{\"s\":", "}]") == session_row);
  // To-many, aggregated straight from the rows and through the ordered subquery.
  const std::string many = "/rest/v1/interview_sessions?select=interview_feedback(*)&id=eq." + sid;
  CHECK(Between(f.Get(many).body, "[{\"interview_feedback\":[", "]}]") == feedback_row);
  CHECK(Between(f.Get(many + "&interview_feedback.order=created_at.desc").body,
                "[{\"interview_feedback\":[", "]}]") == feedback_row);
  // A JSON path cast ::text is text at the top level as in an embed (as Postgres' cast is).
  Reply cast_top = f.Get("/rest/v1/interview_sessions?select=m:metadata->n::text&id=eq." + sid);
  Reply cast_embedded = f.Get(
      "/rest/v1/interview_feedback?select=s:interview_sessions(m:metadata->n::text)&id=eq." + fid);
  CHECK(cast_top.json() == json::parse(R"([{"m":"[1.5,1e+300,-0.0]"}])"));
  CHECK(cast_embedded.json()[0]["s"] == cast_top.json()[0]);
  // A spread's ->> field is text, written as a JSON string like any other ->> field.
  Reply spread = f.Get(
      "/rest/v1/interview_feedback?select=...interview_sessions(title,"
      "metadata->>n)&id=eq." +
      fid);
  REQUIRE(spread.status == 200);
  CHECK(spread.json() == json::parse(R"([{"title":"caf\u00e9 \"q\"","n":"[1.5,1e+300,-0.0]"}])"));
}

TEST_CASE("rest: writes and their statuses") {
  Fixture f;
  json one = {{"user_id", f.uid}, {"title", "new"}};
  Reply minimal = f.Post("/rest/v1/interview_sessions", one.dump());
  CHECK(minimal.status == 201);
  CHECK(minimal.body.empty());

  Reply rep = f.Post("/rest/v1/interview_sessions?select=*", one.dump(),
                     {{"Prefer", "return=representation"}});
  CHECK(rep.status == 201);
  CHECK(rep.json()[0]["status"] == "pending");
  CHECK(rep.json()[0]["interview_type"] == "voice");
  CHECK(rep.json()[0]["metadata"] == json::object());

  json two = json::array({{{"user_id", f.uid}, {"title", "a"}},
                          {{"user_id", f.uid}, {"title", "b"}, {"status", "completed"}}});
  std::string cols = "&columns=" + Encode("\"user_id\",\"title\",\"status\"");
  CHECK(f.Post("/rest/v1/user_progress", "[]").status == 201);  // an empty batch writes nothing
  Reply null_missing = f.Post("/rest/v1/interview_sessions?select=status" + cols, two.dump(),
                              {{"Prefer", "return=representation"}});
  CHECK(null_missing.status == 400);  // status is NOT NULL: the missing key became NULL
  CHECK(null_missing.json()["code"] == "23502");
  Reply defaulted = f.Post("/rest/v1/interview_sessions?select=status" + cols, two.dump(),
                           {{"Prefer", "return=representation, missing=default"}});
  CHECK(defaulted.status == 201);
  CHECK(defaulted.json() == json::parse(R"([{"status":"pending"},{"status":"completed"}])"));

  Reply counted = f.Post("/rest/v1/interview_sessions", json::array({one, one, one}).dump(),
                         {{"Prefer", "count=exact"}});
  CHECK(counted.status == 201);
  CHECK(counted.header("Content-Range") == "*/3");
  Reply mismatched =
      f.Post("/rest/v1/interview_sessions", json::array({one, {{"user_id", f.uid}}}).dump());
  CHECK(mismatched.status == 400);
  CHECK(mismatched.json()["code"] == "PGRST102");

  json dup = {{"id", f.ids[0]}, {"user_id", f.uid}, {"title", "dup"}};
  Reply conflict = f.Post("/rest/v1/interview_sessions", dup.dump());
  CHECK(conflict.status == 409);
  CHECK(conflict.json()["code"] == "23505");
  Reply check =
      f.Post("/rest/v1/interview_responses",
             json({{"interview_id", f.ids[0]}, {"role", "robot"}, {"content", "x"}}).dump());
  CHECK(check.status == 400);
  CHECK(check.json()["code"] == "23514");
  Reply bulk_bad = f.Post(
      "/rest/v1/interview_sessions",
      json::array({one, {{"user_id", "00000000-0000-4000-8000-000000000000"}, {"title", "x"}}})
          .dump(),
      {{"Prefer", "count=exact"}});
  CHECK(bulk_bad.status == 409);
  CHECK(f.Get("/rest/v1/interview_sessions?select=id", {{"Prefer", "count=exact"}})
            .header("Content-Range") == "0-56/57");

  // Upserts on user_progress(user_id, category, skill).
  json progress = {{"user_id", f.uid}, {"category", "algo"}, {"skill", "graphs"}, {"xp", 10}};
  std::string target = "/rest/v1/user_progress?on_conflict=" + Encode("user_id, category,skill");
  Reply first = f.Post(target + "&select=xp", progress.dump(),
                       {{"Prefer", "resolution=merge-duplicates, return=representation"}});
  CHECK(first.status == 201);
  progress["xp"] = 20;
  Reply merged = f.Post(target + "&select=xp", progress.dump(),
                        {{"Prefer", "resolution=merge-duplicates, return=representation"}});
  CHECK(merged.status == 200);
  CHECK(merged.json() == json::parse(R"([{"xp":20}])"));
  progress["xp"] = 30;
  Reply ignored = f.Post(target + "&select=xp", progress.dump(),
                         {{"Prefer", "resolution=ignore-duplicates, return=representation"}});
  CHECK(ignored.status == 201);
  CHECK(ignored.json() == json::array());
  CHECK(f.Get("/rest/v1/user_progress?select=xp").json() == json::parse(R"([{"xp":20}])"));
  Reply no_key = f.Post("/rest/v1/user_progress?on_conflict=xp", progress.dump(),
                        {{"Prefer", "resolution=merge-duplicates"}});
  CHECK(no_key.status == 400);
  CHECK(no_key.json()["code"] == "42P10");

  Reply patched =
      f.Call("PATCH", "/rest/v1/interview_sessions?id=eq." + f.ids[5], R"({"status":"completed"})");
  CHECK(patched.status == 204);
  Reply patched_rep =
      f.Call("PATCH", "/rest/v1/interview_sessions?select=title,status&id=eq." + f.ids[5],
             R"({"title":"renamed"})", {{"Prefer", "return=representation"}});
  CHECK(patched_rep.status == 200);
  CHECK(patched_rep.json() == json::parse(R"([{"title":"renamed","status":"completed"}])"));
  Reply patch_none =
      f.Call("PATCH", "/rest/v1/interview_sessions?id=eq.00000000-0000-4000-8000-000000000000",
             R"({"title":"x"})", {{"Accept", "application/vnd.pgrst.object+json"}});
  CHECK(patch_none.status == 406);
  Reply patch_many =
      f.Call("PATCH", "/rest/v1/interview_sessions?status=eq.pending", R"({"title":"all"})",
             {{"Accept", "application/vnd.pgrst.object+json"}});
  CHECK(patch_many.status == 406);
  CHECK(f.Get("/rest/v1/interview_sessions?title=eq.all").json() == json::array());  // rolled back
  Reply bad_patch =
      f.Call("PATCH", "/rest/v1/interview_sessions?id=eq." + f.ids[5], R"({"nope":1})");
  CHECK(bad_patch.json()["code"] == "PGRST204");

  Reply deleted = f.Call("DELETE", "/rest/v1/interview_sessions?id=eq." + f.ids[9], "",
                         {{"Prefer", "count=exact"}});
  CHECK(deleted.status == 204);
  CHECK(deleted.header("Content-Range") == "*/1");
  Reply deleted_rep = f.Call("DELETE", "/rest/v1/interview_sessions?select=title&id=eq." + f.ids[8],
                             "", {{"Prefer", "return=representation"}});
  CHECK(deleted_rep.status == 200);
  CHECK(deleted_rep.json() == json::parse(R"([{"title":"s08"}])"));
  Reply delete_none = f.Call("DELETE", "/rest/v1/interview_sessions?id=eq." + f.ids[8], "");
  CHECK(delete_none.status == 204);
}

TEST_CASE("rest: Prefer tx=rollback answers as if committed and leaves no trace") {
  // supabase-js's .rollback(): the write runs with its guards and hooks, the answer shows its
  // result, and then all of it (hooks' writes included) is rolled back.
  Fixture f;
  const httplib::Headers rollback = {{"Prefer", "return=representation, tx=rollback"}};
  auto profile = [&] {
    Reply r = f.Get("/rest/v1/profiles?select=total_interviews,total_xp&id=eq." + f.uid);
    REQUIRE(r.status == 200);
    return r.json().at(0);
  };
  auto sessions = [&] {
    return f.Get("/rest/v1/interview_sessions?select=id", {{"Prefer", "count=exact"}})
        .header("Content-Range");
  };
  const json before = profile();
  CHECK(before["total_interviews"] == 50);
  CHECK(sessions() == "0-49/50");

  json one = {{"user_id", f.uid}, {"title", "tried"}};
  Reply inserted = f.Post("/rest/v1/interview_sessions?select=title", one.dump(), rollback);
  CHECK(inserted.status == 201);
  CHECK(inserted.json() == json::parse(R"([{"title":"tried"}])"));
  CHECK(inserted.header("Preference-Applied").find("tx=rollback") != std::string::npos);
  CHECK(sessions() == "0-49/50");

  // A completion: the answer shows it, the row and the hooks' XP and counters stay as they were.
  Reply completed = f.Call("PATCH", "/rest/v1/interview_sessions?select=status&id=eq." + f.ids[1],
                           R"({"status":"completed","overall_score":90})", rollback);
  CHECK(completed.status == 200);
  CHECK(completed.json() == json::parse(R"([{"status":"completed"}])"));
  CHECK(f.Get("/rest/v1/interview_sessions?select=status&id=eq." + f.ids[1]).json() ==
        json::parse(R"([{"status":"pending"}])"));

  Reply deleted =
      f.Call("DELETE", "/rest/v1/interview_sessions?select=title&id=eq." + f.ids[2], "", rollback);
  CHECK(deleted.status == 200);
  CHECK(deleted.json() == json::parse(R"([{"title":"s02"}])"));
  CHECK(sessions() == "0-49/50");
  CHECK(profile() == before);

  // Without it (or with tx=commit) the same write stays.
  CHECK(f.Post("/rest/v1/interview_sessions", one.dump(), {{"Prefer", "tx=commit"}}).status == 201);
  CHECK(sessions() == "0-50/51");
}

TEST_CASE("rest: JWT refusals and the OpenAPI document") {
  ServerProcess server;
  std::string expired =
      ServerProcess::Token("authenticated", "11111111-1111-4111-8111-111111111111", -10);
  Reply r = server.Send("GET", "/rest/v1/interview_sessions", expired);
  CHECK(r.status == 401);
  CHECK(r.json()["code"] == "PGRST303");
  CHECK(r.header("WWW-Authenticate").rfind("Bearer error=\"invalid_token\"", 0) == 0);
  Reply garbage = server.Send("GET", "/rest/v1/interview_sessions", "not.a.jwt");
  CHECK(garbage.status == 401);
  CHECK(garbage.json()["code"] == "PGRST301");
  Reply two_parts = server.Send("GET", "/rest/v1/interview_sessions", "a.b");
  CHECK(two_parts.json()["message"] == "Expected 3 parts in JWT; got 2");
  Reply role = server.Send("GET", "/rest/v1/interview_sessions", ServerProcess::Token("postgres"));
  CHECK(role.status == 401);
  CHECK(role.json()["code"] == "22023");
  Reply none = server.Send("GET", "/rest/v1/leaderboard", "");
  CHECK(none.status == 401);

  Reply doc = server.Send("GET", "/rest/v1/", server.anon_key());
  CHECK(doc.status == 200);
  json spec = doc.json();
  CHECK(spec["swagger"] == "2.0");
  CHECK(spec["paths"].contains("/interview_sessions"));
  CHECK_FALSE(spec["paths"].contains("/auth_users"));
  CHECK(spec["definitions"]["interview_sessions"]["properties"]["overall_score"]["type"] ==
        "number");
}

// PostgREST hands every operand to PostgreSQL as a text parameter, and PostgreSQL refuses a 0x00
// byte in any text it receives: 400 22021, for each operator and for RPC arguments in the query
// string; a write so filtered changes nothing.
TEST_CASE("rest: a 0x00 byte in an operand is refused as PostgreSQL refuses it (22021)") {
  Fixture f;
  const std::string base = "/rest/v1/interview_sessions";
  for (const char* query :
       {"title=eq.s01%00", "title=neq.%00", "title=in.(s01,s%0002)", "description=like.*%00*",
        "title=ilike(any).{a,%00}", "or=(title.eq.s01,title.eq.a%00b)", "metadata->>k=eq.%00",
        "duration_minutes=gt.1%00"}) {
    CAPTURE(query);
    Reply r = f.Get(base + "?" + std::string(query));
    CHECK(r.status == 400);
    CHECK(r.json()["code"] == "22021");
    CHECK(r.json()["message"] == "invalid byte sequence for encoding \"UTF8\": 0x00");
  }
  CHECK(f.Get(base + "?duration_minutes=is.null").status == 200);
  // PostgreSQL parses the query before it reads the parameters: an unknown column comes first.
  CHECK(f.Get(base + "?nope=eq.%00").json()["code"] == "42703");
  CHECK(f.Call("PATCH", base + "?title=eq.s00%00", R"({"title":"changed"})").status == 400);
  CHECK(f.Call("DELETE", base + "?title=eq.s02%00", "").status == 400);
  CHECK(Titles(f.Get(base + "?select=title&title=in.(s00,s02)&order=title")) ==
        std::vector<std::string>{"s00", "s02"});
  Reply rpc = f.Get("/rest/v1/rpc/get_user_interview_stats?p_user_id=" + f.uid + "%00");
  CHECK(rpc.status == 400);
  CHECK(rpc.json()["code"] == "22021");
  CHECK(f.Get("/rest/v1/rpc/get_user_interview_stats?p_user_id=" + f.uid).status == 200);
}
