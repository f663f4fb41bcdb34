// The data-only dump reader: COPY headers as pg_dump writes them, COPY text rows with every
// escape, the lines between blocks skipped, and each refusal naming its line.
#include "storage/copy_dump.h"

#include <doctest/doctest.h>

#include <sstream>

#include "storage/error.h"

namespace ib::storage {
namespace {

TEST_CASE("copy dump: headers with schemas, quoted and folded names") {
  CopyHeader h = ParseCopyHeader(
      "COPY public.interview_responses (id, \"timestamp\", \"Odd \"\"Name\"\"\") FROM stdin;", 7);
  CHECK(h.schema == "public");
  CHECK(h.table == "interview_responses");
  CHECK(h.columns == std::vector<std::string>{"id", "timestamp", "Odd \"Name\""});
  CHECK(h.line == 7);
  CopyHeader bare = ParseCopyHeader("copy Profiles (ID,Email) from STDIN;", 1);
  CHECK(bare.schema == "public");
  CHECK(bare.table == "profiles");
  CHECK(bare.columns == std::vector<std::string>{"id", "email"});
  for (const char* bad : {"COPY public.t FROM stdin;", "COPY public.t (a, b FROM stdin;",
                          "COPY public.t (a) TO stdout;", "COPY public.t (a) FROM stdin",
                          "COPY public.t (a) FROM '/etc/passwd';", "COPY (a) FROM stdin;"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH(ParseCopyHeader(bad, 12), doctest::Contains("line 12: "));
  }
}

TEST_CASE("copy dump: row fields, NULL and every escape") {
  CopyRow row =
      ParseCopyRow("a\\tb\\nc\t\\N\t\\\\N\t\\x41\\101\\q\t\t\\b\\f\\r\\v\tcaf\xC3\xA9", 3);
  REQUIRE(row.values.size() == 7);
  CHECK(*row.values[0] == "a\tb\nc");
  CHECK_FALSE(row.values[1].has_value());
  CHECK(*row.values[2] == "\\N");  // an escaped backslash then N: the text, not NULL
  CHECK(*row.values[3] == "AAq");
  CHECK(*row.values[4] == "");  // empty string, not NULL
  CHECK(*row.values[5] == "\b\f\r\v");
  CHECK(*row.values[6] == "caf\xC3\xA9");
  CHECK_THROWS_WITH(ParseCopyRow("ends with\\", 9), doctest::Contains("line 9: bad escape"));
  CHECK_THROWS_WITH(ParseCopyRow("nul \\0 here", 9), doctest::Contains("line 9: bad escape"));
  CHECK_THROWS_WITH(ParseCopyRow("nul \\x00", 9), doctest::Contains("NUL"));
  CHECK_THROWS_WITH(ParseCopyRow("ok\tbad \xC3(", 4), doctest::Contains("line 4: invalid UTF-8"));
}

TEST_CASE("copy dump: a pg_dump file reads as blocks and rows, the rest skipped") {
  std::istringstream in(
      "--\n-- PostgreSQL database dump\n--\n\n"
      "\\restrict abc123\n"
      "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n"
      "SELECT pg_catalog.set_config('search_path', '', false);\n\n"
      "ALTER TABLE public.a DISABLE TRIGGER ALL;\n"
      "COPY public.a (x, y) FROM stdin;\n1\tone\n2\t\\N\n\\.\n"
      "ALTER TABLE public.a ENABLE TRIGGER ALL;\n\n"
      "COPY auth.users (id) FROM stdin;\n\\.\n\n"
      "SELECT pg_catalog.setval('public.a_x_seq', 2, true);\n\\unrestrict abc123\n");
  CopyDumpReader reader(in);
  auto a = reader.NextBlock();
  REQUIRE(a);
  CHECK(a->table == "a");
  CHECK(a->line == 11);
  auto r1 = reader.NextRow();
  REQUIRE(r1);
  CHECK(r1->line == 12);
  CHECK(*r1->values[1] == "one");
  auto r2 = reader.NextRow();
  REQUIRE(r2);
  CHECK_FALSE(r2->values[1].has_value());
  CHECK_FALSE(reader.NextRow());
  auto users = reader.NextBlock();
  REQUIRE(users);
  CHECK(users->schema == "auth");
  CHECK_FALSE(reader.NextRow());
  CHECK_FALSE(reader.NextBlock());
}

TEST_CASE("copy dump: refusals name the line") {
  struct Case {
    const char* dump;
    const char* message;
  };
  const Case cases[] = {
      {"COPY public.a (x, y) FROM stdin;\n1\t2\n3\n\\.\n", "line 3: the row has 1 fields"},
      {"COPY public.a (x) FROM stdin;\n1\t2\n\\.\n", "line 2: the row has 2 fields"},
      {"SET x = 1;\nINSERT INTO public.a VALUES (1);\n", "line 2: unsupported statement"},
      {"\nCREATE TABLE t (x int);\n", "line 2: unsupported statement"},
      {"COPY public.a (x) FROM stdin;\n1\n2\n", "line 1: the COPY block of public.a"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.dump);
    std::istringstream in(c.dump);
    CopyDumpReader reader(in);
    CHECK_THROWS_WITH(
        [&] {
          while (reader.NextBlock()) {
            while (reader.NextRow()) {
            }
          }
        }(),
        doctest::Contains(c.message));
  }
}

}  // namespace
}  // namespace ib::storage
