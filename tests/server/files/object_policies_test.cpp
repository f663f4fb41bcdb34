#include "server/files/object_policies.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace ib::files {
namespace {

constexpr const char* kAlice = "0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10";
constexpr const char* kBob = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

storage::Principal Who(storage::Role role, const std::string& uid = "") {
  storage::Principal p;
  p.role = role;
  p.user_id = uid;
  return p;
}

TEST_CASE("files/object_policies: the <uid>/ folder rule") {
  CHECK(IsInOwnFolder(kAlice, std::string(kAlice) + "/a.webm"));
  CHECK(IsInOwnFolder(kAlice, std::string(kAlice) + "/deep/er/a.webm"));
  CHECK_FALSE(IsInOwnFolder(kAlice, std::string(kAlice) + "/"));      // the folder itself
  CHECK_FALSE(IsInOwnFolder(kAlice, kAlice));                         // no slash
  CHECK_FALSE(IsInOwnFolder(kAlice, std::string(kAlice) + "x/a"));    // longer id
  CHECK_FALSE(IsInOwnFolder(kAlice, std::string(kBob) + "/a.webm"));
  CHECK_FALSE(IsInOwnFolder(kAlice, "x/" + std::string(kAlice) + "/a"));
  CHECK_FALSE(IsInOwnFolder("", "/a.webm"));                          // no uid, no folder
  CHECK_FALSE(IsInOwnFolder("", "a.webm"));
}

struct Case {
  storage::Role role;
  std::string uid;
  ObjectCommand command;
  BucketFacts bucket;
  std::string key;
  bool allowed;
};

TEST_CASE("files/object_policies: role x command x bucket x key") {
  using R = storage::Role;
  using C = ObjectCommand;
  const BucketFacts audio{"interview-audio", false};
  const BucketFacts pub{"avatars", true};
  const BucketFacts priv{"private-stuff", false};
  const std::string own = std::string(kAlice) + "/q1.webm";
  const std::string other = std::string(kBob) + "/q1.webm";
  const std::vector<Case> cases = {
      // signed-in user, own folder of interview-audio: everything
      {R::kAuthenticated, kAlice, C::kInsert, audio, own, true},
      {R::kAuthenticated, kAlice, C::kSelect, audio, own, true},
      {R::kAuthenticated, kAlice, C::kUpdate, audio, own, true},
      {R::kAuthenticated, kAlice, C::kDelete, audio, own, true},
      // someone else's folder or the root: nothing
      {R::kAuthenticated, kAlice, C::kInsert, audio, other, false},
      {R::kAuthenticated, kAlice, C::kSelect, audio, other, false},
      {R::kAuthenticated, kAlice, C::kUpdate, audio, other, false},
      {R::kAuthenticated, kAlice, C::kDelete, audio, other, false},
      {R::kAuthenticated, kAlice, C::kInsert, audio, "root.webm", false},
      // a token without sub has no folder
      {R::kAuthenticated, "", C::kInsert, audio, "/x", false},
      // public buckets: read only, for users and anon
      {R::kAuthenticated, kAlice, C::kSelect, pub, "a.png", true},
      {R::kAuthenticated, kAlice, C::kInsert, pub, own, false},
      {R::kAuthenticated, kAlice, C::kDelete, pub, "a.png", false},
      {R::kAnon, "", C::kSelect, pub, "a.png", true},
      {R::kAnon, "", C::kInsert, pub, "a.png", false},
      {R::kAnon, "", C::kUpdate, pub, "a.png", false},
      {R::kAnon, "", C::kDelete, pub, "a.png", false},
      // other private buckets: no one but the service
      {R::kAuthenticated, kAlice, C::kSelect, priv, own, false},
      {R::kAuthenticated, kAlice, C::kInsert, priv, own, false},
      {R::kAnon, "", C::kSelect, priv, "a", false},
      {R::kAnon, "", C::kSelect, audio, own, false},
      // service_role bypasses everything
      {R::kServiceRole, "", C::kInsert, priv, "a", true},
      {R::kServiceRole, "", C::kDelete, audio, other, true},
      {R::kServiceRole, "", C::kSelect, priv, "x/y", true},
  };
  for (const auto& c : cases) {
    CAPTURE(storage::RoleName(c.role));
    CAPTURE(static_cast<int>(c.command));
    CAPTURE(std::string(c.bucket.id));
    CAPTURE(c.key);
    CHECK(MayAccessObject(Who(c.role, c.uid), c.command, c.bucket, c.key) == c.allowed);
  }
}

TEST_CASE("files/object_policies: bucket visibility and management") {
  using R = storage::Role;
  const BucketFacts audio{"interview-audio", false};
  const BucketFacts pub{"avatars", true};
  const BucketFacts priv{"private-stuff", false};
  CHECK(MaySeeBucket(Who(R::kAuthenticated, kAlice), audio));
  CHECK(MaySeeBucket(Who(R::kAuthenticated, kAlice), pub));
  CHECK_FALSE(MaySeeBucket(Who(R::kAuthenticated, kAlice), priv));
  CHECK_FALSE(MaySeeBucket(Who(R::kAnon), audio));
  CHECK(MaySeeBucket(Who(R::kAnon), pub));
  CHECK(MaySeeBucket(Who(R::kServiceRole), priv));
  CHECK(MayManageBuckets(Who(R::kServiceRole)));
  CHECK_FALSE(MayManageBuckets(Who(R::kAuthenticated, kAlice)));
  CHECK_FALSE(MayManageBuckets(Who(R::kAnon)));
}

TEST_CASE("files/object_policies: every row is named and grants a real role") {
  for (const auto& p : AllObjectPolicies()) {
    CAPTURE(p.name);
    CHECK(std::string(p.name).size() > 5);
    CHECK(p.roles != 0);
    CHECK((p.bucket != nullptr) != p.public_buckets);
  }
}

}  // namespace
}  // namespace ib::files
