#include "server/rest/renderer.h"

#include <doctest/doctest.h>

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
