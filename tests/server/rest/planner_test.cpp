#include "server/rest/planner.h"

#include <doctest/doctest.h>

#include "server/rest/query_params.h"
#include "storage/error.h"
#include "tests/support/test_db.h"

using ib::rest::ApiRequest;
using ib::rest::PlanContext;
using ib::rest::ReadPlan;

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::unique_ptr<ReadPlan> Plan(const ib::testing::TestDb& t, const std::string& table,
                               Params params,
                               const ib::storage::Principal& who = ib::testing::Service()) {
  ApiRequest api = ib::rest::ParseQueryParams(params);
  PlanContext ctx{t.catalog(), who, 1000, 0};
  return ib::rest::PlanRead(api, ctx, ib::rest::ResolveTable(t.catalog(), table));
}

std::string CodeOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ib::storage::Error& e) {
    return e.code();
  }
  return "";
}

}  // namespace

TEST_CASE("planner: naming errors carry PostgREST codes") {
  ib::testing::TestDb t;
  struct Case {
    std::string table;
    Params params;
    std::string code;
  };
  Case cases[] = {
      {"nosuch", {}, "PGRST205"},
      {"auth_users", {}, "PGRST205"},
      {"interview_sessions", {{"select", "nope"}}, "42703"},
      {"interview_sessions", {{"select", "Title"}}, "42703"},
      {"interview_sessions", {{"nope", "eq.1"}}, "42703"},
      {"interview_sessions", {{"order", "nope.desc"}}, "42703"},
      {"interview_sessions", {{"select", "*,leaderboard(*)"}}, "PGRST200"},
      {"interview_sessions", {{"select", "*,nosuch(*)"}}, "PGRST200"},
      {"interview_sessions", {{"select", "*,interview_feedback!nope(*)"}}, "PGRST200"},
      {"interview_sessions", {{"interview_feedback.id", "eq.1"}}, "PGRST108"},
      {"interview_sessions", {{"select", "*,interview_feedback(nope)"}}, "42703"},
      {"interview_sessions", {{"duration_minutes", "eq.abc"}}, "22P02"},
      {"interview_sessions", {{"created_at", "lt.yesterday"}}, "22007"},
      {"interview_sessions", {{"id", "eq.123"}}, "22P02"},
      {"interview_sessions", {{"title", "sl.[1,2]"}}, "PGRST127"},
      {"interview_sessions",
       {{"select", "*,interview_feedback(*)"}, {"order", "interview_feedback(id)"}},
       "PGRST118"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.table);
    CAPTURE(c.params.empty() ? "" : c.params[0].first + "=" + c.params[0].second);
    CHECK(CodeOf([&] { Plan(t, c.table, c.params); }) == c.code);
  }
}

TEST_CASE("planner: star expands every column in schema order - aliases rename") {
  ib::testing::TestDb t;
  auto plan = Plan(t, "streaks", {});
  const auto* table = t.catalog().FindExposedTable("streaks");
  REQUIRE(plan->fields.size() == table->columns.size());
  CHECK(plan->fields[0].key == "id");
  auto aliased = Plan(t, "streaks", {{"select", "n:current_streak,streak_data->0"}});
  CHECK(aliased->fields[0].key == "n");
  CHECK(aliased->fields[0].source.column->name == "current_streak");
  CHECK(aliased->fields[1].key == "streak_data");
}

TEST_CASE("planner: embeds resolve direction and cardinality from foreign keys") {
  ib::testing::TestDb t;
  auto many =
      Plan(t, "interview_sessions", {{"select", "id,interview_feedback(id),voice_analytics(*)"}});
  REQUIRE(many->embeds.size() == 2);
  CHECK_FALSE(many->embeds[0]->join.to_one);
  CHECK(many->embeds[0]->join.child_columns[0]->name == "interview_id");
  CHECK(many->embeds[0]->alias != many->alias);
  auto one = Plan(t, "interview_feedback", {{"select", "s:interview_sessions!inner(title)"}});
  REQUIRE(one->embeds.size() == 1);
  CHECK(one->embeds[0]->join.to_one);
  CHECK(one->embeds[0]->join.inner);
  CHECK(one->embeds[0]->key == "s");
  auto counted = Plan(t, "interview_sessions", {{"select", "id,interview_responses(count)"}});
  CHECK(counted->embeds[0]->count_only);
}

TEST_CASE("planner: order keeps Postgres null placement defaults") {
  ib::testing::TestDb t;
  auto plan = Plan(t, "interview_sessions",
                   {{"order", "created_at.desc,title,duration_minutes.asc.nullsfirst"}});
  REQUIRE(plan->order.size() == 3);
  CHECK(plan->order[0].descending);
  CHECK(plan->order[0].nulls_first);        // DESC -> NULLS FIRST
  CHECK_FALSE(plan->order[1].nulls_first);  // ASC -> NULLS LAST
  CHECK(plan->order[2].nulls_first);
}

TEST_CASE("planner: max rows caps the top-level limit") {
  ib::testing::TestDb t;
  CHECK(Plan(t, "interview_sessions", {})->limit == 1000);
  CHECK(Plan(t, "interview_sessions", {{"limit", "5"}})->limit == 5);
  CHECK(Plan(t, "interview_sessions", {{"limit", "5000"}})->limit == 1000);
}

TEST_CASE("planner: every node carries the caller's guard") {
  ib::testing::TestDb t;
  auto user = ib::testing::User("11111111-1111-4111-8111-111111111111");
  auto plan = Plan(t, "interview_sessions", {{"select", "id,interview_feedback(id)"}}, user);
  CHECK_FALSE(plan->guard.sql.empty());
  CHECK_FALSE(plan->embeds[0]->guard.sql.empty());
  auto service = Plan(t, "interview_sessions", {{"select", "id,interview_feedback(id)"}});
  CHECK(service->guard.sql.empty());
  auto anon = Plan(t, "profiles", {}, ib::testing::Anon());
  CHECK(anon->guard.sql == "(0)");
}
