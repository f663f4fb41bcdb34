// Differential test against a real PostgreSQL: the same sessions and feedback rows are loaded
// into our server (over HTTP) and into PostgreSQL (via psql), the two original helper
// functions are written in PL/pgSQL from docs/hooks.md (RPCs), and every result is compared row by
// row with the JSON PostgREST would send (json_agg), number texts included (numeric avg
// prints 16+ decimals; decimal(5,2) prints 2). Timestamps are compared at microsecond
// precision (Postgres trims trailing zeros of fractions; we always print six digits).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <regex>

#include "tests/e2e/support/gamification_model.h"
#include "tests/e2e/support/postgres_instance.h"
#include "tests/e2e/support/server_process.h"

using ib::e2e::AsService;
using ib::e2e::PostgresInstance;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE interview_sessions (
  id uuid PRIMARY KEY, user_id uuid NOT NULL, title varchar(255) NOT NULL,
  interview_type varchar(50) NOT NULL DEFAULT 'voice',
  status varchar(50) NOT NULL DEFAULT 'pending',
  overall_score decimal(5,2) CHECK (overall_score BETWEEN 0 AND 100), duration_minutes int,
  created_at timestamptz DEFAULT now(), completed_at timestamptz);
CREATE TABLE interview_feedback (
  id uuid PRIMARY KEY, interview_id uuid NOT NULL REFERENCES interview_sessions(id),
  user_id uuid NOT NULL,
  overall_score decimal(5,2) NOT NULL CHECK (overall_score BETWEEN 0 AND 100),
  hiring_recommendation text, created_at timestamptz DEFAULT now());

CREATE FUNCTION get_user_interview_stats(p_user_id uuid)
RETURNS TABLE (total_interviews bigint, completed_interviews bigint, average_score numeric,
               total_duration_minutes bigint, last_interview_date timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
  SELECT COUNT(*)::bigint, COUNT(*) FILTER (WHERE s.status = 'completed')::bigint,
         AVG(s.overall_score), SUM(s.duration_minutes)::bigint, MAX(s.created_at)
  FROM interview_sessions s WHERE s.user_id = p_user_id;
END $$;

CREATE FUNCTION get_recent_interviews_with_feedback(p_user_id uuid, p_limit int DEFAULT 10)
RETURNS TABLE (interview_id uuid, title varchar, interview_type varchar, status varchar,
               overall_score decimal, created_at timestamptz, feedback_id uuid,
               hiring_recommendation text)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
  SELECT s.id, s.title, s.interview_type, s.status, s.overall_score, s.created_at, f.id,
         f.hiring_recommendation
  FROM interview_sessions s LEFT JOIN interview_feedback f ON f.interview_id = s.id
  WHERE s.user_id = p_user_id ORDER BY s.created_at DESC LIMIT p_limit;
END $$;
)sql";

using FlatRow = std::map<std::string, std::string>;

// Six fractional digits, as we print; Postgres trims trailing zeros ("…:00.5+00:00").
std::string NormalizeTimestamp(const std::string& s) {
  static const std::regex ts(R"((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00:00)");
  std::smatch m;
  if (!std::regex_match(s, m, ts)) return s;
  std::string frac = m[2].str();
  frac.resize(6, '0');
  return m[1].str() + "." + frac + "+00:00";
}

// SAX handler flattening an array of flat objects into key -> token text, keeping each
// number's text exactly as written (nlohmann hands the raw text of floats to number_float).
struct Flattener : nlohmann::json_sax<json> {
  std::vector<FlatRow> rows;
  std::string current_key;
  int depth = 0;
  void Put(std::string text) {
    if (!rows.empty()) rows.back()[current_key] = std::move(text);
  }
  bool null() override { return Put("null"), true; }
  bool boolean(bool v) override { return Put(v ? "true" : "false"), true; }
  bool number_integer(number_integer_t v) override { return Put(std::to_string(v)), true; }
  bool number_unsigned(number_unsigned_t v) override { return Put(std::to_string(v)), true; }
  bool number_float(number_float_t, const string_t& s) override { return Put(s), true; }
  bool string(string_t& v) override { return Put("\"" + NormalizeTimestamp(v) + "\""), true; }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    if (++depth == 1) rows.emplace_back();
    return true;
  }
  bool key(string_t& k) override { return current_key = k, true; }
  bool end_object() override { return --depth, true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }
};

std::vector<FlatRow> Flatten(const std::string& json_text) {
  Flattener f;
  REQUIRE_MESSAGE(json::sax_parse(json_text.empty() ? "[]" : json_text, &f), json_text);
  return f.rows;
}

// Rows tied on created_at (one session, several feedback rows) come in no defined order.
std::vector<FlatRow> SortedRecent(std::vector<FlatRow> rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const FlatRow& a, const FlatRow& b) {
    if (a.at("created_at") != b.at("created_at")) return a.at("created_at") > b.at("created_at");
    return a.at("feedback_id") < b.at("feedback_id");
  });
  return rows;
}

std::string Literal(const json& v) {
  if (v.is_null()) return "NULL";
  if (v.is_string()) {
    return "'" + std::regex_replace(v.get<std::string>(), std::regex("'"), "''") + "'";
  }
  return v.dump();
}

// Copies the rows our server holds into PostgreSQL, column by column.
void CopyTable(const ServerProcess& server, const PostgresInstance& pg, const std::string& table,
               const std::vector<std::string>& columns) {
  std::string select, names;
  for (const auto& c : columns) {
    select += (select.empty() ? "" : ",") + c;
    names += (names.empty() ? "" : ", ") + c;
  }
  std::string sql;
  const json rows = AsService(server, "GET", "/rest/v1/" + table + "?select=" + select).json();
  for (const auto& row : rows) {
    std::string values;
    for (const auto& c : columns) values += (values.empty() ? "" : ", ") + Literal(row[c]);
    sql += "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ");\n";
  }
  pg.Query(sql);
}

struct Dataset {
  std::vector<std::string> users;
};

Dataset LoadDataset(const ServerProcess& server) {
  Dataset d;
  struct S {
    const char* created;
    const char* status;
    json score;
    json minutes;
    const char* type;
    int feedback;
  };
  const std::vector<std::vector<S>> per_user = {
      {{"2024-05-01T10:00:00Z", "pending", 87, 30, "voice", 0},
       {"2024-05-02T10:00:00.5Z", "completed", 88, 15, "voice", 2},
       {"2024-05-03T10:00:00.123456Z", "completed", 87, nullptr, "text", 1},
       {"2024-05-04T10:00:00Z", "in_progress", nullptr, nullptr, "voice", 0}},
      {},  // no sessions at all
      {{"2024-04-01T00:00:00Z", "completed", 0.5, 0, "text", 1},
       {"2024-04-02T00:00:00Z", "completed", 99.99, 120, "voice", 0},
       {"2024-04-03T00:00:00Z", "abandoned", 12.25, 5, "voice", 1},
       {"2024-04-04T00:00:00Z", "completed", 100, nullptr, "voice", 0}},
      {{"2024-03-01T08:00:00Z", "completed", 33.33, 1, "voice", 0},
       {"2024-03-01T09:00:00Z", "completed", 33.33, 2, "voice", 0},
       {"2024-03-01T10:00:00Z", "completed", 33.34, 3, "voice", 0}},
      {{"2024-02-29T23:59:59.999999Z", "completed", 0, nullptr, "voice", 1}},
      {{"2024-01-01T00:00:00Z", "pending", nullptr, 10, "voice", 0},
       {"2024-01-02T00:00:00Z", "completed", nullptr, 20, "text", 0}},
  };
  int n = 0;
  for (const auto& sessions : per_user) {
    const std::string uid = ib::e2e::NewUser(server, "diff" + std::to_string(n++) + "@x.io", "D");
    d.users.push_back(uid);
    for (const S& s : sessions) {
      json body = {{"user_id", uid},
                   {"title", std::string("It's ") + s.created},
                   {"status", s.status},
                   {"overall_score", s.score},
                   {"duration_minutes", s.minutes},
                   {"interview_type", s.type},
                   {"created_at", s.created}};
      Reply r = AsService(server, "POST", "/rest/v1/interview_sessions?select=id", body.dump(),
                          {{"Prefer", "return=representation"}});
      REQUIRE_MESSAGE(r.status == 201, r.body);
      for (int f = 0; f < s.feedback; ++f) {
        json fb = {{"interview_id", r.json()[0]["id"]},
                   {"user_id", uid},
                   {"overall_score", 50 + f},
                   {"hiring_recommendation", f ? "strong_hire" : "hire"}};
        REQUIRE(AsService(server, "POST", "/rest/v1/interview_feedback", fb.dump()).status == 201);
      }
    }
  }
  d.users.push_back("00000000-0000-4000-8000-00000000dead");  // a user nobody knows
  return d;
}

TEST_CASE("postgres diff: helper functions match PostgreSQL 15 row by row") {
  PostgresInstance pg;
  if (!pg.available()) {
    MESSAGE("SKIPPED: the PostgreSQL differential test did not run: " << pg.why());
    return;
  }
  MESSAGE("PostgreSQL: " << pg.Query("SELECT version()"));
  ServerProcess server{{"--password-cost", "minimal"}};
  const Dataset data = LoadDataset(server);
  pg.Query(kSchema);
  CopyTable(server, pg, "interview_sessions",
            {"id", "user_id", "title", "interview_type", "status", "overall_score",
             "duration_minutes", "created_at", "completed_at"});
  CopyTable(
      server, pg, "interview_feedback",
      {"id", "interview_id", "user_id", "overall_score", "hiring_recommendation", "created_at"});

  for (const std::string& uid : data.users) {
    CAPTURE(uid);
    Reply ours = AsService(server, "POST", "/rest/v1/rpc/get_user_interview_stats",
                           json({{"p_user_id", uid}}).dump());
    REQUIRE(ours.status == 200);
    const std::string theirs =
        pg.Query("SELECT json_agg(t) FROM get_user_interview_stats('" + uid + "') t");
    CAPTURE(ours.body);
    CAPTURE(theirs);
    CHECK(Flatten(ours.body) == Flatten(theirs));

    const std::vector<std::pair<json, std::string>> limits = {{json::object(), ""},
                                                              {{{"p_limit", 10}}, ", 10"},
                                                              {{{"p_limit", 4}}, ", 4"},
                                                              {{{"p_limit", 2}}, ", 2"},
                                                              {{{"p_limit", 1}}, ", 1"},
                                                              {{{"p_limit", 0}}, ", 0"},
                                                              {{{"p_limit", nullptr}}, ", NULL"}};
    for (const auto& [args, pg_args] : limits) {
      json body = args;
      body["p_user_id"] = uid;
      CAPTURE(body.dump());
      Reply recent = AsService(server, "POST", "/rest/v1/rpc/get_recent_interviews_with_feedback",
                               body.dump());
      REQUIRE(recent.status == 200);
      const std::string pg_recent =
          pg.Query("SELECT json_agg(t) FROM get_recent_interviews_with_feedback('" + uid + "'" +
                   pg_args + ") t");
      CAPTURE(recent.body);
      CAPTURE(pg_recent);
      CHECK(SortedRecent(Flatten(recent.body)) == SortedRecent(Flatten(pg_recent)));
    }
  }
}

}  // namespace

TEST_CASE("postgres diff: the score bounds refuse what PostgreSQL's CHECK refuses") {
  PostgresInstance pg;
  if (!pg.available()) {
    MESSAGE("SKIPPED: the PostgreSQL differential test did not run: " << pg.why());
    return;
  }
  ServerProcess server{{"--password-cost", "minimal"}};
  const std::string uid = ib::e2e::NewUser(server, "bounds@x.io", "B");
  pg.Query(kSchema);
  // Rounding to two places comes first (100.004 is 100.00, -0.005 is -0.01), then the CHECK;
  // a value that needs more digits than decimal(5,2) has is an overflow before any CHECK.
  for (const char* score : {"0", "100", "100.004", "-0.004", "55.555", "100.005", "100.01",
                            "-0.005", "-1", "999.99", "1000.5", "-1000.5"}) {
    CAPTURE(score);
    Reply ours =
        AsService(server, "POST", "/rest/v1/interview_sessions",
                  R"({"user_id":")" + uid + R"(","title":"b","overall_score":)" + score + "}");
    const std::string our_class =
        ours.status == 201 ? "ok" : ours.json().value("code", std::string("?"));
    std::string pg_class = "ok";
    try {
      pg.Query(
          "INSERT INTO interview_sessions (id, user_id, title, overall_score) VALUES "
          "(gen_random_uuid(), gen_random_uuid(), 'b', " +
          std::string(score) + ")");
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      pg_class = what.find("violates check constraint") != std::string::npos ? "23514"
                 : what.find("numeric field overflow") != std::string::npos  ? "22003"
                                                                             : what;
    }
    CHECK(our_class == pg_class);
  }
}

// PostgreSQL's jsonb_in converts every string and key to text, so it refuses U+0000 anywhere in a
// jsonb value (22P05), and it keeps numbers as numeric: each JSON text is sent as a session's
// metadata and cast to jsonb by PostgreSQL; both take it or both refuse it, and what both take
// reads back as the same JSON value.
TEST_CASE("postgres diff: jsonb takes what PostgreSQL's jsonb_in takes") {
  PostgresInstance pg;
  if (!pg.available()) {
    MESSAGE("SKIPPED: the PostgreSQL differential test did not run: " << pg.why());
    return;
  }
  ServerProcess server{{"--password-cost", "minimal"}};
  const std::string uid = ib::e2e::NewUser(server, "jsonb@x.io", "J");
  for (const char* metadata :
       {R"({"a":"x\u0000y"})", R"({"a":[1,{"b":["\u0000"]}]})", R"({"k\u0000":1})",
        R"({"a":"\\u0000"})", R"({"a":"\u0001\u001f é 😀 \ud83d\ude00"})",
        R"({"b":1,"a":[true,null,"s"],"b":2})", R"({"n":-0,"m":1.5e2,"big":123456789012345678})"}) {
    CAPTURE(metadata);
    Reply ours =
        AsService(server, "POST", "/rest/v1/interview_sessions?select=metadata",
                  R"({"user_id":")" + uid + R"(","title":"j","metadata":)" + metadata + "}",
                  {{"Prefer", "return=representation"}});
    std::string pg_text;
    std::string pg_class = "ok";
    try {
      pg_text = pg.Query("SELECT $q$" + std::string(metadata) + "$q$::jsonb");
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      pg_class =
          what.find("unsupported Unicode escape sequence") != std::string::npos ? "22P05" : what;
    }
    const std::string our_class =
        ours.status == 201 ? "ok" : ours.json().value("code", std::string("?"));
    CHECK(our_class == pg_class);
    if (our_class == "ok" && pg_class == "ok") {
      CHECK(ours.json()[0]["metadata"] == json::parse(pg_text));
    }
  }
}

TEST_CASE("postgres diff: select=column::text is PostgreSQL's ::text, at the top and embedded") {
  PostgresInstance pg;
  if (!pg.available()) {
    MESSAGE("SKIPPED: the PostgreSQL differential test did not run: " << pg.why());
    return;
  }
  ServerProcess server{{"--password-cost", "minimal"}};
  const std::string uid = ib::e2e::NewUser(server, "cast@x.io", "C");
  const std::string metadata =
      R"({"b":1,"a":[true,null,"s: x, y"],"ccc":{"k":"\"q\\","zz":1,"y":[]},"e":{},"é":0})";
  Reply made = AsService(
      server, "POST", "/rest/v1/interview_sessions?select=id",
      R"({"user_id":")" + uid + R"(","title":"c","metadata":)" + metadata +
          R"(,"overall_score":87.5,"technical_score":3,)"
          R"("started_at":"2024-05-01T12:00:00.5Z","completed_at":"2024-05-01T12:00:00Z"})",
      {{"Prefer", "return=representation"}});
  REQUIRE(made.status == 201);
  const std::string sid = made.json()[0]["id"];
  REQUIRE(AsService(server, "POST", "/rest/v1/interview_feedback",
                    R"({"interview_id":")" + sid + R"(","user_id":")" + uid +
                        R"(","overall_score":66.5})")
              .status == 201);
  REQUIRE(AsService(server, "PATCH", "/rest/v1/profiles?id=eq." + uid,
                    R"({"onboarding_completed":true,"tech_stack":["a","b c"]})")
              .status == 204);

  const json pg_session = json::parse(
      pg.Query("SELECT json_build_array('87.5'::numeric(5,2)::text, '3'::numeric(5,2)::text, $q$" +
               metadata +
               "$q$::jsonb::text, '2024-05-01T12:00:00.5Z'::timestamptz::text, "
               "'2024-05-01T12:00:00Z'::timestamptz::text, 'c'::varchar(255)::text, "
               "'66.5'::numeric(5,2)::text)"));
  const std::string cols =
      "overall_score::text,technical_score::text,metadata::text,started_at::text,"
      "completed_at::text,title::text";
  const json top = AsService(server, "GET",
                             "/rest/v1/interview_sessions?select=" + cols +
                                 ",interview_feedback(overall_score::text)&id=eq." + sid)
                       .json()[0];
  const json spread = AsService(server, "GET",
                                "/rest/v1/interview_feedback?select=...interview_sessions(" + cols +
                                    ")&interview_id=eq." + sid)
                          .json()[0];
  const json embedded = AsService(server, "GET",
                                  "/rest/v1/interview_feedback?select=s:interview_sessions(" +
                                      cols + ")&interview_id=eq." + sid)
                            .json()[0]["s"];
  const std::vector<std::string> names = {"overall_score", "technical_score", "metadata",
                                          "started_at",    "completed_at",    "title"};
  for (size_t i = 0; i < names.size(); ++i) {
    CAPTURE(names[i]);
    CHECK(top[names[i]] == pg_session[i]);
    CHECK(spread[names[i]] == pg_session[i]);
    CHECK(embedded[names[i]] == pg_session[i]);
  }
  CHECK(top["interview_feedback"][0]["overall_score"] == pg_session[6]);

  const json pg_profile =
      json::parse(pg.Query("SELECT json_build_array(true::text, ARRAY['a','b c']::text[]::text, "
                           "'0'::numeric(5,2)::text)"));
  const json profile =
      AsService(server, "GET",
                "/rest/v1/profiles?select=onboarding_completed::text,tech_stack::text,"
                "average_score::text&id=eq." +
                    uid)
          .json()[0];
  CHECK(profile["onboarding_completed"] == pg_profile[0]);
  CHECK(profile["tech_stack"] == pg_profile[1]);
  CHECK(profile["average_score"] == pg_profile[2]);
}
