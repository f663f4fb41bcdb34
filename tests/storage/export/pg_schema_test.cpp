// The pieces of schema.sql that translate our schema's text to Postgres: guard predicates,
// CHECK constraints read from SQLite's DDL, COPY escaping.
#include <doctest/doctest.h>

#include "storage/catalog.h"
#include "storage/error.h"
#include "storage/export/pg_data.h"
#include "storage/export/pg_policies.h"
#include "storage/export/pg_tables.h"

namespace pg = ib::storage::pgexport;

TEST_CASE("pg export: guard predicates become Postgres policy expressions") {
  CHECK(pg::TranslatePredicate("$t.user_id = :uid", "achievements") ==
        "achievements.user_id = (SELECT auth.uid())");
  CHECK(pg::TranslatePredicate("1", "leaderboard") == "true");
  // Our table names become their Postgres names; a qualified column name stays as it is.
  CHECK(
      pg::TranslatePredicate("EXISTS (SELECT 1 FROM interview_sessions AS parent WHERE parent.id = "
                             "$t.interview_id AND parent.user_id = :uid)",
                             "voice_analytics") ==
      "EXISTS (SELECT 1 FROM public.interview_sessions AS parent WHERE parent.id = "
      "voice_analytics.interview_id AND parent.user_id = (SELECT auth.uid()))");
  CHECK(pg::TranslatePredicate("$t.email IS (SELECT email FROM auth_users WHERE id = :uid)",
                               "profiles") ==
        "profiles.email IS (SELECT email FROM auth.users WHERE id = (SELECT auth.uid()))");
  // String literals are copied untouched, even when they spell a placeholder or a table.
  CHECK(pg::TranslatePredicate("$t.bucket_id = 'storage_objects :uid $t'", "storage_objects") ==
        "objects.bucket_id = 'storage_objects :uid $t'");
  // Object names compare byte-wise, as the folder range assumes.
  CHECK(pg::TranslatePredicate("$t.name > :uid || '/'", "storage_objects") ==
        "(objects.name COLLATE \"C\") > (SELECT auth.uid()) || '/'");
  CHECK_THROWS_AS(pg::TranslatePredicate("$t.id = 'open", "profiles"), ib::storage::Error);
}

TEST_CASE("pg export: CHECK constraints are read from SQLite's DDL with their names") {
  const auto checks = pg::ChecksOf(
      "CREATE TABLE t (\n  role VARCHAR(20) NOT NULL CONSTRAINT t_role_check\n"
      "    CHECK (role IN ('user', 'a)b')),\n  score DECIMAL(5,2) CHECK (score BETWEEN 0 AND "
      "100),\n  CONSTRAINT t_pair CHECK ((score > 1) OR (role = 'x'))\n)",
      "t");
  REQUIRE(checks.size() == 3);
  CHECK(checks[0].first == "t_role_check");
  CHECK(checks[0].second == "role IN ('user', 'a)b')");
  CHECK(checks[1].first == "t_check2");
  CHECK(checks[1].second == "score BETWEEN 0 AND 100");
  CHECK(checks[2].first == "t_pair");
  CHECK(checks[2].second == "(score > 1) OR (role = 'x')");
  CHECK(pg::ChecksOf("CREATE TABLE t (a INT)", "t").empty());
  CHECK_THROWS_AS(pg::ChecksOf("CREATE TABLE t (a INT CHECK (a > (0)", "t"), ib::storage::Error);
}

TEST_CASE("pg export: COPY text escapes what would end a value or a row") {
  CHECK(pg::CopyEscape("plain") == "plain");
  CHECK(pg::CopyEscape("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e");
  CHECK(pg::CopyEscape("\\N") == "\\\\N");  // the text "\N" is not NULL
}
