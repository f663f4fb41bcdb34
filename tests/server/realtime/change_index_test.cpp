// The change index: a channel filed by an eq filter on a text-stored column is a candidate only
// for rows with that value; other bindings are candidates for every row of their table (or of
// every table); candidates come once each, and leaving takes a channel out everywhere.
#include "server/realtime/change_index.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/support/test_db.h"

namespace ib::realtime {
namespace {

Binding Bound(const storage::Table& table, const std::string& filter = "") {
  Binding b;
  b.table = &table;
  if (!filter.empty()) {
    auto parsed = ChangeFilter::Parse(filter, table);
    REQUIRE(std::holds_alternative<ChangeFilter>(parsed));
    b.filter = std::get<ChangeFilter>(parsed);
  }
  return b;
}

bool Has(const std::vector<Channel*>& candidates, const Channel& channel) {
  return std::count(candidates.begin(), candidates.end(), &channel) == 1;
}

TEST_CASE("change index: eq filters on text are looked up by value, the rest by table") {
  testing::TestDb t;
  const storage::Table& responses = *t.catalog().FindExposedTable("interview_responses");
  const storage::Table& attempts = *t.catalog().FindExposedTable("practice_attempts");
  const std::string s1 = "11111111-1111-1111-1111-111111111111";
  const std::string s2 = "22222222-2222-2222-2222-222222222222";
  Channel one, two, scan, numeric, every, both;
  one.bindings = {Bound(responses, "interview_id=eq." + s1)};
  two.bindings = {Bound(responses, "interview_id=eq." + s2 + ",role=eq.user")};
  scan.bindings = {Bound(responses, "interview_id=neq." + s1)};
  numeric.bindings = {Bound(responses, "confidence=eq.0.5")};  // a number: never by key
  every.bindings = {Binding{}};
  both.bindings = {Bound(responses, "interview_id=eq." + s1), Bound(responses)};
  ChangeIndex index;
  for (Channel* c : {&one, &two, &scan, &numeric, &every, &both}) index.Add(c);

  storage::ChangeRow row{{"interview_id", storage::SqlValue{s1}}};
  auto candidates = index.Candidates(responses, row);
  CHECK(Has(candidates, one));
  CHECK_FALSE(Has(candidates, two));
  CHECK(Has(candidates, scan));
  CHECK(Has(candidates, numeric));
  CHECK(Has(candidates, every));
  CHECK(Has(candidates, both));  // filed twice, listed once
  CHECK(candidates.size() == 5);

  // Another table: only the channel bound to every table.
  candidates = index.Candidates(attempts, row);
  CHECK(candidates == std::vector<Channel*>{&every});
  // A delete's key has no interview_id: no eq-filed channel is a candidate.
  candidates = index.Candidates(responses, {{"id", storage::SqlValue{std::string("r1")}}});
  CHECK_FALSE(Has(candidates, one));
  CHECK(Has(candidates, scan));

  index.Remove(&one);
  index.Remove(&both);
  index.Remove(&every);
  candidates = index.Candidates(responses, row);
  CHECK_FALSE(Has(candidates, one));
  CHECK_FALSE(Has(candidates, both));
  CHECK(candidates.size() == 2);
  storage::ChangeRow other{{"interview_id", storage::SqlValue{s2}}};
  CHECK(Has(index.Candidates(responses, other), two));
}

}  // namespace
}  // namespace ib::realtime
