#include "server/rest/renderer.h"

#include <doctest/doctest.h>

#include "storage/copied_rows.h"
#include "storage/values.h"
#include "tests/support/test_db.h"

// PostgREST's Content-Range: first-last/total, "*" for an empty page or an uncounted total.
TEST_CASE("renderer: Content-Range for pages, empty pages and counts") {
  struct Case {
    int64_t offset, rows;
    std::optional<int64_t> total;
    const char* want;
  };
  const Case cases[] = {
      {0, 1, std::nullopt, "0-0/*"}, {0, 10, 25, "0-9/25"}, {20, 5, 25, "20-24/25"},
      {0, 0, std::nullopt, "*/*"},   {0, 0, 0, "*/0"},      {30, 0, 25, "*/25"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.want);
    CHECK(ib::rest::ContentRange(c.offset, c.rows, c.total) == c.want);
  }
}

TEST_CASE("renderer: the CSV header quotes keys that need it") {
  std::vector<ib::rest::RenderColumn> columns = {
      {ib::rest::RenderColumn::Kind::kText, "plain", nullptr},
      {ib::rest::RenderColumn::Kind::kText, "a,b", nullptr},
      {ib::rest::RenderColumn::Kind::kText, "say \"hi\"", nullptr}};
  std::string out;
  ib::rest::AppendCsvHeader(out, columns);
  CHECK(out == "plain,\"a,b\",\"say \"\"hi\"\"\"\n");
}

// A write's representation is rendered from rows copied on the writer: every form must come
// out byte for byte as it does from the statement's own rows.
TEST_CASE("renderer: a copied row renders as the statement's row does") {
  ib::testing::TestDb t;
  using Kind = ib::rest::RenderColumn::Kind;
  const auto& sessions = *t.catalog().FindTable("interview_sessions");
  auto type_of = [&](const char* name) { return &sessions.FindColumn(name)->type; };
  std::vector<ib::rest::RenderColumn> columns = {
      {Kind::kValue, "title", type_of("title")},
      {Kind::kValue, "overall_score", type_of("overall_score")},
      {Kind::kValue, "metadata", type_of("metadata")},
      {Kind::kRawJson, "embed", nullptr},
      {Kind::kText, "as_text", nullptr},
      {Kind::kValue, "duration_minutes", type_of("duration_minutes")}};
  ib::storage::SqlQuery query{
      "SELECT 'a \"quoted\", title', 87.5, '{\"k\":[1,2]}', '[{\"x\":1}]', 12, NULL", {}, ""};
  for (bool strip_nulls : {false, true}) {
    std::string direct, direct_csv;
    ib::storage::Executor(t.conn()).Run(query, [&](const ib::storage::Row& row) {
      ib::rest::AppendRowObject(direct, row, columns, strip_nulls);
      ib::rest::AppendCsvRow(direct_csv, row, columns);
    });
    auto copied = ib::storage::CopyRows(t.conn(), query);
    REQUIRE(copied.size() == 1);
    std::string from_copy, from_copy_csv;
    ib::rest::AppendRowObject(from_copy, copied[0], columns, strip_nulls);
    ib::rest::AppendCsvRow(from_copy_csv, copied[0], columns);
    CAPTURE(direct);
    CHECK(from_copy == direct);
    CHECK(from_copy_csv == direct_csv);
    CHECK(direct.find("\"embed\":[{\"x\":1}]") != std::string::npos);
  }
}

TEST_CASE("renderer: member names escaped once render as when escaped for each row") {
  using Kind = ib::rest::RenderColumn::Kind;
  std::vector<ib::rest::RenderColumn> columns = {{Kind::kText, "plain", nullptr},
                                                 {Kind::kText, "say \"hi\"", nullptr},
                                                 {Kind::kRawJson, "back\\slash\nline", nullptr}};
  const std::vector<std::string> names = ib::rest::MemberNames(columns);
  CHECK(names ==
        std::vector<std::string>{"\"plain\":", "\"say \\\"hi\\\"\":", "\"back\\\\slash\\nline\":"});
  ib::testing::TestDb t;
  ib::storage::SqlQuery query{"SELECT 'a', NULL, '[1]' UNION ALL SELECT 'b', 'c', NULL", {}, ""};
  for (bool strip_nulls : {false, true}) {
    std::string once, each;
    ib::storage::Executor(t.conn()).Run(query, [&](const ib::storage::Row& row) {
      ib::rest::AppendRowObject(once, row, columns, names, strip_nulls);
      ib::rest::AppendRowObject(each, row, columns, strip_nulls);
    });
    CAPTURE(each);
    CHECK(once == each);
    CHECK(each.find("{\"plain\":\"b\",\"say \\\"hi\\\"\":\"c\"") != std::string::npos);
  }
}
