// The auth session store against a fresh in-memory database: sessions, refresh tokens by
// hash, the active token, revocation times, and the three logout scopes.
#include "storage/auth/session_store.h"

#include <doctest/doctest.h>

#include "storage/auth/user_store.h"
#include "storage/row_writer.h"
#include "tests/support/test_db.h"

namespace ib::storage::auth {
namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kNow = 1'700'000'000 * kSecond;

struct Fixture {
  testing::TestDb db;
  Principal service = testing::Service();
  RowWriter writer{db.conn(), db.catalog(), service, kNow};
  UserRecord user = Add("ada@x.io");

  UserRecord Add(const std::string& email) {
    NewUser u;
    u.email = email;
    return InsertUser(writer, u);
  }
  int64_t Count(const std::string& sql, std::vector<SqlValue> params = {}) {
    return std::get<int64_t>(db.Scalar(sql, std::move(params)));
  }
};

TEST_CASE("auth session store: a session is found by id in any case") {
  Fixture f;
  SessionRecord s = CreateSession(f.writer, f.user.id);
  CHECK(s.user_id == f.user.id);
  CHECK(s.created_at == "2023-11-14T22:13:20.000000+00:00");
  CHECK_FALSE(s.not_after);
  std::string upper = s.id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  REQUIRE(FindSession(f.db.conn(), upper));
  CHECK(FindSession(f.db.conn(), upper)->rowid == s.rowid);
  CHECK_FALSE(FindSession(f.db.conn(), f.user.id));
}

TEST_CASE("auth session store: tokens by hash, the newest unrevoked is active") {
  Fixture f;
  SessionRecord s = CreateSession(f.writer, f.user.id);
  InsertRefreshToken(f.writer, s, {"h1", std::nullopt, std::nullopt});
  InsertRefreshToken(f.writer, s, {"h2", std::string("h1"), std::string("sealed")});

  auto first = FindRefreshTokenByHash(f.db.conn(), "h1");
  REQUIRE(first);
  CHECK(first->session_id == s.id);
  CHECK(first->user_id == f.user.id);
  CHECK(first->state.parent_hash.empty());
  CHECK(first->sealed_by_parent.empty());
  CHECK_FALSE(first->state.revoked);
  CHECK_FALSE(FindRefreshTokenByHash(f.db.conn(), "nope"));

  auto active = ActiveRefreshToken(f.db.conn(), s.id);
  REQUIRE(active);
  CHECK(active->state.hash == "h2");
  CHECK(active->state.parent_hash == "h1");
  CHECK(active->sealed_by_parent == "sealed");
}

TEST_CASE("auth session store: revocation keeps its first time, session revoke ends activity") {
  Fixture f;
  SessionRecord s = CreateSession(f.writer, f.user.id);
  InsertRefreshToken(f.writer, s, {"h1", std::nullopt, std::nullopt});
  RowWriter later(f.db.conn(), f.db.catalog(), f.service, kNow + 3 * kSecond);
  RevokeRefreshToken(later, *FindRefreshTokenByHash(f.db.conn(), "h1"));
  auto revoked = FindRefreshTokenByHash(f.db.conn(), "h1");
  CHECK(revoked->state.revoked);
  CHECK(revoked->state.revoked_at_micros == kNow + 3 * kSecond);

  RowWriter much_later(f.db.conn(), f.db.catalog(), f.service, kNow + 60 * kSecond);
  RevokeRefreshToken(much_later, *revoked);
  CHECK(FindRefreshTokenByHash(f.db.conn(), "h1")->state.revoked_at_micros == kNow + 3 * kSecond);

  InsertRefreshToken(f.writer, s, {"h2", std::string("h1"), std::nullopt});
  REQUIRE(ActiveRefreshToken(f.db.conn(), s.id));
}

TEST_CASE("auth session store: logout scopes end the right sessions and their tokens") {
  struct Case {
    LogoutScope scope;
    bool current_left, other_left;
  };
  for (Case c : {Case{LogoutScope::kGlobal, false, false}, Case{LogoutScope::kLocal, false, true},
                 Case{LogoutScope::kOthers, true, false}}) {
    CAPTURE(static_cast<int>(c.scope));
    Fixture f;
    UserRecord bob = f.Add("bob@x.io");
    SessionRecord current = CreateSession(f.writer, f.user.id);
    SessionRecord other = CreateSession(f.writer, f.user.id);
    SessionRecord bobs = CreateSession(f.writer, bob.id);
    InsertRefreshToken(f.writer, current, {"hc", std::nullopt, std::nullopt});
    InsertRefreshToken(f.writer, other, {"ho", std::nullopt, std::nullopt});
    EndSessions(f.writer, f.user.id, std::string_view(current.id), c.scope);
    CHECK(FindSession(f.db.conn(), current.id).has_value() == c.current_left);
    CHECK(FindSession(f.db.conn(), other.id).has_value() == c.other_left);
    CHECK(FindRefreshTokenByHash(f.db.conn(), "hc").has_value() == c.current_left);
    CHECK(FindRefreshTokenByHash(f.db.conn(), "ho").has_value() == c.other_left);
    CHECK(FindSession(f.db.conn(), bobs.id));
  }
}

}  // namespace
}  // namespace ib::storage::auth
