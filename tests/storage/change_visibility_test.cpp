// Change visibility: a committed change reaches a reader only if the table's SELECT guard lets
// that reader see the row (own rows, own sessions' children, the public leaderboard, all for
// service_role), judged on the row's own values; a cascade's deletes are judged with the rows
// the same transaction deleted.
#include "storage/change_visibility.h"

#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "tests/support/test_db.h"

namespace ib::storage {
namespace {

using testing::Anon;
using testing::Service;
using testing::User;

SqlValue Text(const std::string& s) { return SqlValue{s}; }

ChangeRecord Inserted(const std::string& table, ChangeRow row) {
  ChangeRecord r;
  r.table = table;
  r.op = ChangeOp::kInsert;
  r.key = {{"id", row.at("id")}};
  r.new_row = std::move(row);
  return r;
}

ChangeRecord Deleted(const std::string& table, ChangeRow row) {
  ChangeRecord r;
  r.table = table;
  r.op = ChangeOp::kDelete;
  r.key = {{"id", row.at("id")}};
  r.old_row = std::move(row);
  return r;
}

bool May(testing::TestDb& t, const ChangeRecord& r, const Principal& who,
         const std::vector<ChangeRecord>& transaction = {}) {
  return MayReadChange(t.conn(), t.catalog(), r, transaction.empty() ? std::vector{r} : transaction,
                       who);
}

TEST_CASE("change visibility: an own-row table shows a change to its owner and to service only") {
  testing::TestDb t;
  const std::string a = t.AddUser("a@example.com");
  const std::string b = t.AddUser("b@example.com");
  ChangeRecord r = Inserted("practice_attempts", {{"id", Text("p1")}, {"user_id", Text(a)}});
  CHECK(May(t, r, User(a)));
  CHECK_FALSE(May(t, r, User(b)));
  CHECK_FALSE(May(t, r, Anon()));
  CHECK(May(t, r, Service()));
  // A delete is judged on the row as it was.
  ChangeRecord d = Deleted("practice_attempts", {{"id", Text("p1")}, {"user_id", Text(a)}});
  CHECK(May(t, d, User(a)));
  CHECK_FALSE(May(t, d, User(b)));
}

TEST_CASE("change visibility: the leaderboard is public, tables without a policy are not") {
  testing::TestDb t;
  const std::string a = t.AddUser("a@example.com");
  ChangeRecord r = Inserted("leaderboard", {{"id", Text("l1")}, {"user_id", Text(a)}});
  CHECK(May(t, r, Anon()));
  CHECK(May(t, r, User("someone-else")));
  ChangeRecord hidden = Inserted("ib_settings", {{"id", Text("k")}});
  CHECK_FALSE(May(t, hidden, User(a)));
  CHECK_FALSE(May(t, hidden, Anon()));
}

TEST_CASE("change visibility: a child row is its session owner's, and a cascade keeps it theirs") {
  testing::TestDb t;
  const std::string a = t.AddUser("a@example.com");
  const std::string b = t.AddUser("b@example.com");
  t.Exec("INSERT INTO interview_sessions (id, user_id, title) VALUES ('s1', '" + a + "', 'T')");
  ChangeRow response{{"id", Text("r1")},
                     {"interview_id", Text("s1")},
                     {"role", Text("user")},
                     {"content", Text("hi")}};
  ChangeRecord inserted = Inserted("interview_responses", response);
  CHECK(May(t, inserted, User(a)));
  CHECK_FALSE(May(t, inserted, User(b)));

  // The session and its responses deleted by one transaction (ON DELETE CASCADE): the session
  // is gone from the table, yet the owner still receives the response's delete...
  t.Exec("DELETE FROM interview_sessions WHERE id = 's1'");
  ChangeRecord session = Deleted("interview_sessions",
                                 {{"id", Text("s1")}, {"user_id", Text(a)}, {"title", Text("T")}});
  ChangeRecord child = Deleted("interview_responses", response);
  std::vector<ChangeRecord> cascade{session, child};
  CHECK(May(t, child, User(a), cascade));
  CHECK(May(t, session, User(a), cascade));
  CHECK_FALSE(May(t, child, User(b), cascade));
  CHECK_FALSE(May(t, child, Anon(), cascade));
  // ...which it could not be judged without the session's delete in the same transaction.
  CHECK_FALSE(May(t, child, User(a)));
}

TEST_CASE("change visibility: values that look like SQL are only ever bound values") {
  testing::TestDb t;
  const std::string a = t.AddUser("a@example.com");
  ChangeRecord r = Inserted("practice_attempts",
                            {{"id", Text("x') OR 1=1 --")}, {"user_id", Text("' OR '1'='1")}});
  CHECK_FALSE(May(t, r, User(a)));
  CHECK(May(t, r, Service()));
}

TEST_CASE(
    "change visibility: the tables whose deletes can decide a change are the ones guards read") {
  testing::TestDb t;
  // Responses, feedback and analytics are their session owner's; objects of a public bucket
  // are everyone's. Nothing else a SELECT guard reads: the deletes of storage chunks, auth
  // sessions or settings never decide what a reader sees.
  CHECK(TablesSelectGuardsRead(t.conn(), t.catalog()) ==
        std::set<std::string, std::less<>>{"interview_sessions", "storage_buckets"});
  // The authorizer is gone afterwards: the connection reads as before.
  CHECK(May(t, Inserted("leaderboard", {{"id", Text("x")}}), Anon()));
}

}  // namespace
}  // namespace ib::storage
