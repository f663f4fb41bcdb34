// Hooks 3 and 4: the feedback link and the session counter, and updated_at on the rows the
// hooks write (hook 1 firing through nested writes).
#include <doctest/doctest.h>

#include "storage/values.h"
#include "tests/support/gamification_fixture.h"

namespace ib::testing {
namespace {

std::string SessionColumn(GamificationFixture& f, const std::string& id, const char* column) {
  auto v = f.db().Scalar(std::string("SELECT ") + column + " FROM interview_sessions WHERE id = ?",
                         {id});
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : "<null>";
}

std::string AddFeedback(GamificationFixture& f, const std::string& user,
                        const std::string& session) {
  auto w = f.Writer();
  int64_t rowid = w.Insert("interview_feedback",
                           {{"interview_id", session}, {"user_id", user}, {"overall_score", 80.0}});
  return storage::hooks::TextOf(*w.Read("interview_feedback", rowid), "id");
}

TEST_CASE("feedback link: the first feedback becomes feedback_id - later ones leave it") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  const std::string s = f.AddSession(u);
  const std::string created = SessionColumn(f, s, "updated_at");
  f.now += 5'000'000;
  const std::string first = AddFeedback(f, u, s);
  CHECK(SessionColumn(f, s, "feedback_id") == first);
  CHECK(SessionColumn(f, s, "updated_at") == storage::FormatTimestamptz(f.now));
  CHECK(SessionColumn(f, s, "updated_at") != created);
  const std::string second = AddFeedback(f, u, s);
  CHECK(second != first);
  CHECK(SessionColumn(f, s, "feedback_id") == first);
}

TEST_CASE("feedback link: a session linked by hand keeps its link") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  const std::string s = f.AddSession(u);
  const std::string chosen = "00000000-0000-4000-8000-000000000001";
  f.UpdateSession(s, {{"feedback_id", chosen}});
  AddFeedback(f, u, s);
  CHECK(SessionColumn(f, s, "feedback_id") == chosen);
}

TEST_CASE("interview counters: total_interviews equals the owner's sessions") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  const std::string v = f.AddUser("b@x.io");
  const std::string s1 = f.AddSession(u);
  f.AddSession(u);
  f.AddSession(v);
  CHECK(f.Int("profiles", u, "total_interviews") == 2);
  CHECK(f.Int("profiles", v, "total_interviews") == 1);
  f.UpdateSession(s1, {{"user_id", v}});  // a service moves a session to another user
  CHECK(f.Int("profiles", u, "total_interviews") == 1);
  CHECK(f.Int("profiles", v, "total_interviews") == 2);
  f.DeleteSession(s1);
  CHECK(f.Int("profiles", v, "total_interviews") == 1);
}

TEST_CASE("interview counters: a session moved to another user and completed in one update") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  const std::string v = f.AddUser("b@x.io");
  const std::string done = f.AddSession(v);
  f.UpdateSession(done, {{"status", "completed"}, {"overall_score", 70.0}});
  const std::string moved = f.AddSession(u);
  CHECK(f.Int("profiles", v, "completed_interviews") == 1);
  // The award runs before the owner recount (as Postgres orders the two triggers by name), so
  // the recount has the last word and the new owner has exactly their completed sessions.
  f.UpdateSession(moved, {{"user_id", v}, {"status", "completed"}, {"overall_score", 80.0}});
  CHECK(f.Int("profiles", v, "completed_interviews") == 2);
  CHECK(f.Int("profiles", v, "total_interviews") == 2);
  CHECK(f.Int("profiles", u, "completed_interviews") == 0);
  CHECK(f.Int("profiles", u, "total_interviews") == 0);
  // Completed once: a second owner change does not award again.
  const int64_t xp = f.Int("profiles", v, "total_xp");
  f.UpdateSession(moved, {{"user_id", u}});
  f.UpdateSession(moved, {{"user_id", v}});
  CHECK(f.Int("profiles", v, "total_xp") == xp);
  CHECK(f.Int("profiles", v, "completed_interviews") == 2);
}

TEST_CASE("updated_at: profile and streak rows written by hooks carry the writer's clock") {
  GamificationFixture f;
  const std::string u = f.AddUser("a@x.io");
  f.now += 60'000'000;
  f.Complete(u, 50.0);
  CHECK(f.Text("profiles", u, "updated_at") == storage::FormatTimestamptz(f.now));
  f.now += 60'000'000;
  f.Complete(u, 50.0);
  CHECK(f.Text("streaks", u, "updated_at") == storage::FormatTimestamptz(f.now));
  CHECK(f.Text("profiles", u, "updated_at") == storage::FormatTimestamptz(f.now));
}

}  // namespace
}  // namespace ib::testing
