// The auth user store against a fresh in-memory database: what a sign-up writes (user,
// identity, and the hook's profile), lookups by id and email, paging, updates and the
// cascading delete.
#include "storage/auth/user_store.h"

#include <doctest/doctest.h>

#include "storage/row_writer.h"
#include "tests/support/test_db.h"

namespace ib::storage::auth {
namespace {

constexpr int64_t kUserNow = 1'700'000'000'000'000;  // 2023-11-14T22:13:20Z

struct UserFixture {
  testing::TestDb db;
  Principal service = testing::Service();
  RowWriter writer{db.conn(), db.catalog(), service, kUserNow};

  UserRecord Add(const std::string& email, bool signed_in = false) {
    NewUser user;
    user.email = email;
    user.password_hash = "$argon2id$stub";
    user.confirmed = true;
    user.signed_in = signed_in;
    return InsertUser(writer, user);
  }
  int64_t Count(const std::string& sql, std::vector<SqlValue> params = {}) {
    return std::get<int64_t>(db.Scalar(sql, std::move(params)));
  }
};

bool IsLowerV4Uuid(const std::string& id) {
  if (id.size() != 36 || id[14] != '4' || std::string("89ab").find(id[19]) == std::string::npos) {
    return false;
  }
  for (char c : id) {
    if (c != '-' && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

TEST_CASE("auth user store: insert writes the user, its email identity and the profile") {
  UserFixture f;
  UserRecord user = f.Add("ada@x.io", /*signed_in=*/true);
  CHECK(IsLowerV4Uuid(user.id));
  CHECK(IsLowerV4Uuid(f.Add("bob@x.io").id));
  CHECK(f.Add("eve@x.io").id != user.id);
  CHECK(user.email == "ada@x.io");
  CHECK(user.encrypted_password == "$argon2id$stub");
  CHECK(user.role == "authenticated");
  CHECK(user.app_metadata == nlohmann::json{{"provider", "email"}, {"providers", {"email"}}});
  CHECK(user.email_confirmed_at == std::optional<std::string>("2023-11-14T22:13:20.000000+00:00"));
  CHECK(user.last_sign_in_at == user.email_confirmed_at);
  CHECK(user.created_at == "2023-11-14T22:13:20.000000+00:00");

  auto identities = IdentitiesOf(f.db.conn(), user.id);
  REQUIRE(identities.size() == 1);
  CHECK(identities[0].provider == "email");
  CHECK(identities[0].provider_id == user.id);
  CHECK(identities[0].id != user.id);
  CHECK(f.Count("SELECT count(*) FROM profiles WHERE id = ?", {user.id}) == 1);
}

TEST_CASE("auth user store: lookups ignore id and email case, miss cleanly") {
  UserFixture f;
  UserRecord user = f.Add("ada@x.io");
  std::string upper = user.id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(FindUserById(f.db.conn(), upper)->email == "ada@x.io");
  CHECK(FindUserByEmail(f.db.conn(), "ADA@x.io")->id == user.id);
  CHECK_FALSE(FindUserById(f.db.conn(), "not-a-uuid"));
  CHECK_FALSE(FindUserByEmail(f.db.conn(), ""));
  CHECK_FALSE(FindUserByEmail(f.db.conn(), "bob@x.io"));
}

TEST_CASE("auth user store: pages are newest first with the total of all users") {
  UserFixture f;
  for (const char* email : {"a@x.io", "b@x.io", "c@x.io"}) f.Add(email);
  UserPage first = ListUsers(f.db.conn(), 1, 2);
  CHECK(first.total == 3);
  REQUIRE(first.users.size() == 2);
  CHECK(first.users[0].email == "c@x.io");  // same created_at: the later rowid comes first
  CHECK(first.users[1].email == "b@x.io");
  UserPage second = ListUsers(f.db.conn(), 2, 2);
  REQUIRE(second.users.size() == 1);
  CHECK(second.users[0].email == "a@x.io");
  CHECK(ListUsers(f.db.conn(), 3, 2).users.empty());
}

TEST_CASE("auth user store: updates stamp updated_at, sign-in stamps the identities") {
  UserFixture f;
  UserRecord user = f.Add("ada@x.io");
  RowWriter later(f.db.conn(), f.db.catalog(), f.service, kUserNow + 5'000'000);
  UserRecord changed = UpdateUserRow(later, user, {{"raw_user_meta_data", R"({"k":1})"}});
  CHECK(changed.user_metadata == nlohmann::json{{"k", 1}});
  CHECK(changed.updated_at == "2023-11-14T22:13:25.000000+00:00");
  CHECK_FALSE(changed.last_sign_in_at);

  UserRecord signed_in = RecordSignIn(later, changed);
  CHECK(signed_in.last_sign_in_at ==
        std::optional<std::string>("2023-11-14T22:13:25.000000+00:00"));
  CHECK(IdentitiesOf(f.db.conn(), user.id)[0].last_sign_in_at == signed_in.last_sign_in_at);
}

TEST_CASE("auth user store: deleting a user cascades to its profile and identities") {
  UserFixture f;
  UserRecord ada = f.Add("ada@x.io");
  UserRecord bob = f.Add("bob@x.io");
  DeleteUserRow(f.writer, ada);
  CHECK_FALSE(FindUserById(f.db.conn(), ada.id));
  CHECK(f.Count("SELECT count(*) FROM profiles WHERE id = ?", {ada.id}) == 0);
  CHECK(IdentitiesOf(f.db.conn(), ada.id).empty());
  CHECK(IdentitiesOf(f.db.conn(), bob.id).size() == 1);
}

}  // namespace
}  // namespace ib::storage::auth
