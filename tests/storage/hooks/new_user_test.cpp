// Hook 2 (handle_new_user) through RowWriter, the way every writer of auth_users reaches it.
#include <doctest/doctest.h>

#include "storage/error.h"
#include "storage/row_writer.h"
#include "storage/transaction.h"
#include "tests/support/test_db.h"

namespace ib::storage::hooks {
namespace {

constexpr int64_t kNow = 1'700'000'000'000'000;

struct Profile {
  SqlValue name, full_name, avatar_url, email;
};

Profile InsertUser(testing::TestDb& db, const std::string& id, const std::string& metadata) {
  Principal service = testing::Service();
  RowWriter writer(db.conn(), db.catalog(), service, kNow);
  writer.Insert(
      "auth_users",
      {{"id", id}, {"email", id.substr(0, 4) + "@x.io"}, {"raw_user_meta_data", metadata}});
  auto rowid = writer.FindRowid("profiles", "id", id);
  REQUIRE(rowid.has_value());
  RowData p = *writer.Read("profiles", *rowid);
  return {p["name"], p["full_name"], p["avatar_url"], p["email"]};
}

SqlValue Text(const char* s) { return std::string(s); }

TEST_CASE("auth new-user hook: the profile takes name, full_name and avatar_url from metadata") {
  testing::TestDb db;
  struct Case {
    const char* metadata;
    SqlValue name;
    SqlValue avatar;
  };
  const Case cases[] = {
      {R"({"full_name":"Ada L","name":"ada","avatar_url":"a.png","picture":"p.png"})",
       Text("Ada L"), Text("a.png")},
      {R"({"name":"ada","picture":"p.png"})", Text("ada"), Text("p.png")},
      {R"({"full_name":null,"name":"ada"})", Text("ada"), SqlValue{}},
      {R"({})", SqlValue{}, SqlValue{}},
      {R"({"full_name":42})", Text("42"), SqlValue{}},  // ->> renders any JSON value as text
  };
  int n = 0;
  for (const Case& c : cases) {
    CAPTURE(c.metadata);
    char id[64];
    std::snprintf(id, sizeof id, "%04d0000-0000-4000-8000-000000000000", n++);
    Profile p = InsertUser(db, id, c.metadata);
    CHECK(p.name == c.name);
    CHECK(p.full_name == c.name);
    CHECK(p.avatar_url == c.avatar);
    CHECK(p.email == SqlValue{std::string(id).substr(0, 4) + "@x.io"});
  }
}

TEST_CASE("auth new-user hook: a failing profile insert undoes the auth user too") {
  testing::TestDb db;
  // A profile already holds the address (profiles.email is UNIQUE) although no auth user does:
  // the hook's insert fails, and with it the whole transaction.
  const std::string other = db.AddUser("other@x.io");  // no hooks: no profile
  db.Exec("INSERT INTO profiles (id, email) VALUES ('" + other + "', 'clash@x.io')");
  {
    Transaction tx(db.conn(), Transaction::Mode::kWrite);
    Principal service = testing::Service();
    RowWriter writer(db.conn(), db.catalog(), service, kNow);
    CHECK_THROWS_AS(writer.Insert("auth_users", {{"id", "00000000-0000-4000-8000-000000000002"},
                                                 {"email", "clash@x.io"}}),
                    Error);
  }
  CHECK(std::get<int64_t>(db.Scalar("SELECT count(*) FROM auth_users")) == 1);
}

TEST_CASE("auth new-user hook: the profile's email follows the auth email") {
  testing::TestDb db;
  const std::string id = "00000000-0000-4000-8000-000000000003";
  InsertUser(db, id, "{}");
  Principal service = testing::Service();
  RowWriter writer(db.conn(), db.catalog(), service, kNow);
  auto user = writer.FindRowid("auth_users", "id", id);
  writer.Update("auth_users", *user, {{"email", "new@x.io"}});
  CHECK(db.Scalar("SELECT email FROM profiles WHERE id = ?", {id}) == SqlValue{"new@x.io"});
  writer.Update("auth_users", *user, {{"raw_user_meta_data", "{}"}});  // no email change
  CHECK(db.Scalar("SELECT email FROM profiles WHERE id = ?", {id}) == SqlValue{"new@x.io"});
}

}  // namespace
}  // namespace ib::storage::hooks
