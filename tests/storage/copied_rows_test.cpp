#include "storage/copied_rows.h"

#include <doctest/doctest.h>

#include "tests/support/test_db.h"

using ib::storage::CopiedRows;
using ib::storage::SqlQuery;
using ib::storage::SqlValueView;

TEST_CASE("copied rows: every value type is kept, and outlives the statement") {
  ib::testing::TestDb t;
  const std::string blob("a\0b", 3);
  SqlQuery query{
      "SELECT ?1, ?2, ?3, ?4, NULL UNION ALL SELECT -7, 0.25, 'zweite Zeile ✓', x'00ff', 1",
      {int64_t{42}, 2.5, std::string("text with \"quotes\""), ib::storage::Blob{blob}},
      ""};
  CopiedRows rows = ib::storage::CopyRows(t.conn(), query);
  // The same statement runs again with other values; the copy must not change.
  query.params = {int64_t{0}, 0.0, std::string("other"), ib::storage::Blob{"zz"}};
  CHECK(ib::storage::CopyRows(t.conn(), query).size() == 2);

  REQUIRE(rows.size() == 2);
  auto first = rows[0];
  REQUIRE(first.size() == 5);
  CHECK(first[0].type == SqlValueView::Type::kInteger);
  CHECK(first[0].integer == 42);
  CHECK(first[1].type == SqlValueView::Type::kReal);
  CHECK(first[1].real == 2.5);
  CHECK(first[2].type == SqlValueView::Type::kText);
  CHECK(first[2].text == "text with \"quotes\"");
  CHECK(first[3].type == SqlValueView::Type::kBlob);
  CHECK(first[3].text == blob);
  CHECK(first[4].is_null());
  auto second = rows[1];
  CHECK(second[0].integer == -7);
  CHECK(second[1].real == 0.25);
  CHECK(second[2].text == "zweite Zeile ✓");
  CHECK(second[3].text == std::string("\0\xff", 2));
  CHECK(second[4].integer == 1);
}

TEST_CASE("copied rows: a query without rows copies none") {
  ib::testing::TestDb t;
  CopiedRows rows = ib::storage::CopyRows(t.conn(), {"SELECT 1 WHERE 0", {}, ""});
  CHECK(rows.empty());
  CHECK(rows.size() == 0);
}
