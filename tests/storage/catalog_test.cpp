#include "storage/catalog.h"

#include <doctest/doctest.h>

#include "storage/error.h"
#include "tests/support/test_db.h"

using ib::storage::ValueKind;

TEST_CASE("catalog: exposes exactly the ten public tables") {
  ib::testing::TestDb t;
  std::vector<std::string> exposed;
  for (const auto& table : t.catalog().tables()) {
    if (table->exposed) exposed.push_back(table->name);
  }
  std::sort(exposed.begin(), exposed.end());
  CHECK(exposed == std::vector<std::string>{"achievements", "interview_feedback",
                                            "interview_responses", "interview_sessions",
                                            "leaderboard", "practice_attempts", "profiles",
                                            "streaks", "user_progress", "voice_analytics"});
  CHECK(t.catalog().FindExposedTable("auth_users") == nullptr);
  CHECK(t.catalog().FindTable("auth_users") != nullptr);
  CHECK(t.catalog().FindExposedTable("sqlite_schema") == nullptr);
  CHECK(t.catalog().FindExposedTable("ib_settings") == nullptr);
}

TEST_CASE("catalog: declared types come back with their Postgres names") {
  ib::testing::TestDb t;
  const auto* s = t.catalog().FindExposedTable("interview_sessions");
  REQUIRE(s);
  struct Case {
    const char* column;
    ValueKind kind;
  };
  for (auto c :
       {Case{"id", ValueKind::kUuid}, Case{"title", ValueKind::kVarchar},
        Case{"metadata", ValueKind::kJsonb}, Case{"started_at", ValueKind::kTimestamptz},
        Case{"duration_minutes", ValueKind::kInt}, Case{"overall_score", ValueKind::kDecimal}}) {
    CAPTURE(c.column);
    const auto* col = s->FindColumn(c.column);
    REQUIRE(col);
    CHECK(col->type.kind == c.kind);
  }
  CHECK(s->FindColumn("title")->type.length == 255);
  CHECK(s->FindColumn("overall_score")->type.scale == 2);
  CHECK(s->FindColumn("title")->not_null);
  CHECK_FALSE(s->FindColumn("description")->not_null);
  CHECK(s->primary_key == std::vector<std::string>{"id"});
  const auto* p = t.catalog().FindExposedTable("profiles");
  CHECK(p->FindColumn("tech_stack")->type.kind == ValueKind::kTextArray);
  CHECK(p->FindColumn("onboarding_completed")->type.kind == ValueKind::kBool);
  CHECK(p->FindColumn("last_activity_date")->type.kind == ValueKind::kDate);
}

TEST_CASE("catalog: names match byte for byte, case-sensitively") {
  ib::testing::TestDb t;
  const auto* p = t.catalog().FindExposedTable("profiles");
  for (const char* wrong : {"USER_ID", "Total_Xp", "total_xp ", " total_xp", "ｔｏｔａｌ_xp"}) {
    CAPTURE(wrong);
    CHECK(p->FindColumn(wrong) == nullptr);
  }
  CHECK(p->FindColumn("total_xp") != nullptr);
  CHECK(t.catalog().FindExposedTable("Profiles") == nullptr);
}

TEST_CASE("catalog: unique keys and foreign keys") {
  ib::testing::TestDb t;
  const auto* up = t.catalog().FindExposedTable("user_progress");
  CHECK(up->IsUniqueKey({"skill", "user_id", "category"}));
  CHECK_FALSE(up->IsUniqueKey({"user_id", "category"}));
  const auto* lb = t.catalog().FindExposedTable("leaderboard");
  CHECK(lb->IsUniqueKey({"user_id"}));
  const auto* fb = t.catalog().FindExposedTable("interview_feedback");
  const auto* s = t.catalog().FindExposedTable("interview_sessions");
  auto fks = t.catalog().ForeignKeysBetween(*s, *fb);
  REQUIRE(fks.size() == 1);
  CHECK(fks[0]->name == "interview_feedback_interview_id_fkey");
  CHECK(fks[0]->columns == std::vector<std::string>{"interview_id"});
  CHECK(fks[0]->ref_columns == std::vector<std::string>{"id"});
}

TEST_CASE("catalog: a partial unique index is not a key") {
  ib::testing::TestDb t;
  t.Exec("CREATE UNIQUE INDEX sessions_description_key ON interview_sessions(description)");
  t.Exec(
      "CREATE UNIQUE INDEX sessions_completed_title_key ON interview_sessions(title) "
      "WHERE status = 'completed'");
  auto catalog = ib::storage::Catalog::Load(t.conn());
  const auto* s = catalog->FindExposedTable("interview_sessions");
  CHECK(s->IsUniqueKey({"description"}));
  CHECK_FALSE(s->IsUniqueKey({"title"}));
}

TEST_CASE("catalog: identifiers are quoted with inner quotes doubled") {
  ib::testing::TestDb t;
  CHECK(t.catalog().FindExposedTable("profiles")->ident.sql() == "\"profiles\"");
  CHECK_THROWS_AS(t.catalog().TableIdent("nope"), ib::storage::Error);
}
