// The storage rows of the guard table, evaluated in SQL as the stores apply them: USING on a
// stored object (select, update, delete), WITH CHECK on a candidate row (insert, update), and
// bucket visibility, for every role against the interview-audio folder rule, a public bucket
// and another private bucket.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "storage/objects/bucket_store.h"
#include "storage/objects/object_store.h"
#include "storage/objects/row_guards.h"
#include "tests/support/test_db.h"

namespace ib::storage {
namespace {

using guards::Command;

constexpr const char* kAlice = "0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10";
constexpr const char* kBob = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
constexpr const char* kAudio = "interview-audio";
constexpr const char* kPublic = "avatars";
constexpr const char* kPrivate = "private-stuff";

Principal Who(Role role, const std::string& uid = "") {
  Principal p;
  p.role = role;
  p.user_id = uid;
  return p;
}

struct Case {
  Role role;
  std::string uid;
  Command command;
  std::string bucket;
  std::string key;
  bool allowed;
};

// Stored objects for every (bucket, key) of the cases, and the two extra buckets.
void Seed(testing::TestDb& t, const std::vector<Case>& cases) {
  t.Exec(
      "INSERT INTO storage_buckets (id, name, public) VALUES ('avatars', 'avatars', 1), "
      "('private-stuff', 'private-stuff', 0)");
  std::set<std::pair<std::string, std::string>> seeded;
  for (const auto& c : cases) {
    if (!seeded.emplace(c.bucket, c.key).second) continue;
    Executor(t.conn()).Run(
        {"INSERT INTO storage_objects (bucket_id, name, size, mimetype, cache_control, etag) "
         "VALUES (?, ?, 0, 'x/y', 'no-cache', '\"\"')",
         {c.bucket, c.key},
         "storage_objects"});
  }
}

bool Allowed(testing::TestDb& t, const Case& c) {
  const Principal who = Who(c.role, c.uid);
  const hooks::RowData candidate = {{"bucket_id", c.bucket}, {"name", c.key}};
  auto check = [&] {
    return objects::CheckAdmits(t.conn(), t.catalog(), who, "storage_objects", c.command,
                                candidate);
  };
  auto using_ = [&] {
    return objects::FindObjectFor(t.conn(), who, c.command, c.bucket, c.key).has_value();
  };
  switch (c.command) {
    case Command::kInsert:
      return check();
    case Command::kUpdate:
      return using_() && check();
    case Command::kSelect:
    case Command::kDelete:
      return using_();
  }
  return false;
}

TEST_CASE("guards/storage: role x command x bucket x key, in SQL") {
  using R = Role;
  using C = Command;
  const std::string alice(kAlice);
  const std::string own = alice + "/q1.webm";
  const std::string other = std::string(kBob) + "/q1.webm";
  const std::vector<Case> cases = {
      // signed-in user, own folder of interview-audio: everything
      {R::kAuthenticated, kAlice, C::kInsert, kAudio, own, true},
      {R::kAuthenticated, kAlice, C::kSelect, kAudio, own, true},
      {R::kAuthenticated, kAlice, C::kUpdate, kAudio, own, true},
      {R::kAuthenticated, kAlice, C::kDelete, kAudio, own, true},
      {R::kAuthenticated, kAlice, C::kSelect, kAudio, alice + "/deep/er/a.webm", true},
      // someone else's folder, the root, look-alike folders: nothing
      {R::kAuthenticated, kAlice, C::kInsert, kAudio, other, false},
      {R::kAuthenticated, kAlice, C::kSelect, kAudio, other, false},
      {R::kAuthenticated, kAlice, C::kUpdate, kAudio, other, false},
      {R::kAuthenticated, kAlice, C::kDelete, kAudio, other, false},
      {R::kAuthenticated, kAlice, C::kInsert, kAudio, "root.webm", false},
      {R::kAuthenticated, kAlice, C::kSelect, kAudio, alice + "/", false},    // the folder itself
      {R::kAuthenticated, kAlice, C::kSelect, kAudio, alice, false},          // no slash
      {R::kAuthenticated, kAlice, C::kSelect, kAudio, alice + "x/a", false},  // longer id
      {R::kAuthenticated, kAlice, C::kSelect, kAudio, alice + ".a", false},   // '.' < '/'
      {R::kAuthenticated, kAlice, C::kSelect, kAudio, "x/" + alice + "/a", false},
      // a token without sub has no folder
      {R::kAuthenticated, "", C::kInsert, kAudio, "/x", false},
      {R::kAuthenticated, "", C::kSelect, kAudio, "/x", false},
      // public buckets: read only, for users and anon
      {R::kAuthenticated, kAlice, C::kSelect, kPublic, "a.png", true},
      {R::kAuthenticated, kAlice, C::kInsert, kPublic, own, false},
      {R::kAuthenticated, kAlice, C::kDelete, kPublic, "a.png", false},
      {R::kAnon, "", C::kSelect, kPublic, "a.png", true},
      {R::kAnon, "", C::kInsert, kPublic, "a.png", false},
      {R::kAnon, "", C::kUpdate, kPublic, "a.png", false},
      {R::kAnon, "", C::kDelete, kPublic, "a.png", false},
      // other private buckets: no one but the service
      {R::kAuthenticated, kAlice, C::kSelect, kPrivate, own, false},
      {R::kAuthenticated, kAlice, C::kInsert, kPrivate, own, false},
      {R::kAnon, "", C::kSelect, kPrivate, "a", false},
      {R::kAnon, "", C::kSelect, kAudio, own, false},
      // service_role bypasses everything
      {R::kServiceRole, "", C::kInsert, kPrivate, "a", true},
      {R::kServiceRole, "", C::kDelete, kAudio, other, true},
      {R::kServiceRole, "", C::kSelect, kPrivate, "x/y", true},
  };
  testing::TestDb t;
  Seed(t, cases);
  for (const auto& c : cases) {
    CAPTURE(RoleName(c.role));
    CAPTURE(static_cast<int>(c.command));
    CAPTURE(c.bucket);
    CAPTURE(c.key);
    CHECK(Allowed(t, c) == c.allowed);
  }
}

TEST_CASE("guards/storage: bucket visibility and management") {
  testing::TestDb t;
  t.Exec(
      "INSERT INTO storage_buckets (id, name, public) VALUES ('avatars', 'avatars', 1), "
      "('private-stuff', 'private-stuff', 0)");
  auto sees = [&](const Principal& who, const char* id) {
    return objects::FindVisibleBucket(t.conn(), who, id).has_value();
  };
  const Principal alice = Who(Role::kAuthenticated, kAlice);
  const Principal anon = Who(Role::kAnon);
  const Principal service = Who(Role::kServiceRole);
  CHECK(sees(alice, kAudio));
  CHECK(sees(alice, kPublic));
  CHECK_FALSE(sees(alice, kPrivate));
  CHECK_FALSE(sees(anon, kAudio));
  CHECK(sees(anon, kPublic));
  CHECK(sees(service, kPrivate));
  for (Command command : {Command::kInsert, Command::kUpdate, Command::kDelete}) {
    CAPTURE(static_cast<int>(command));
    CHECK(objects::MayWriteBucket(t.conn(), t.catalog(), service, command, kPrivate));
    CHECK_FALSE(objects::MayWriteBucket(t.conn(), t.catalog(), alice, command, kAudio));
    CHECK_FALSE(objects::MayWriteBucket(t.conn(), t.catalog(), anon, command, kPublic));
  }
}

TEST_CASE("guards/storage: every storage row is named and has a predicate") {
  int rows = 0;
  for (const auto& p : guards::AllPolicies()) {
    if (p.table != "storage_objects" && p.table != "storage_buckets") continue;
    ++rows;
    CAPTURE(p.name);
    CHECK(p.name.size() > 5);
    CHECK_FALSE((p.using_sql.empty() && p.check_sql.empty()));
  }
  CHECK(rows == 7);
}

}  // namespace
}  // namespace ib::storage
