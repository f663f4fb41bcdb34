// Tests for the postgres_changes filter (server/realtime/change_filter.h) against the real
// catalog: every operator on a practice_attempts row, typed comparison (numbers, instants, bool,
// uuid), NULL and `not.` under three-valued logic, comma-AND, quoting, the `in` bounds, every
// refusal with its text, and a deterministic loop of mangled filters that must parse or refuse.
#include "server/realtime/change_filter.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "storage/utf8.h"
#include "storage/values.h"
#include "tests/support/test_db.h"

namespace ib::realtime {
namespace {

using storage::ChangeRow;
using storage::SqlValue;

const storage::Table& TableOf(const testing::TestDb& db, std::string_view name) {
  const storage::Table* table = db.catalog().FindTable(name);
  REQUIRE(table != nullptr);
  return *table;
}

ChangeFilter Parsed(const storage::Table& table, std::string_view text) {
  auto result = ChangeFilter::Parse(text, table);
  if (const auto* error = std::get_if<FilterError>(&result)) {
    FAIL_CHECK(text << " refused: " << error->message);
    return ChangeFilter{};
  }
  return std::get<ChangeFilter>(std::move(result));
}

// The refusal's text, or "(parsed)".
std::string Refusal(const storage::Table& table, std::string_view text) {
  auto result = ChangeFilter::Parse(text, table);
  if (const auto* error = std::get_if<FilterError>(&result)) return error->message;
  return "(parsed)";
}

const char kId[] = "8c1f6a52-6f1e-4a8e-9f59-0c2d7f1b9e01";
const char kUser[] = "11111111-2222-3333-4444-555555555555";

// A practice_attempts row as the change log carries it; `feedback` is absent (NULL).
ChangeRow Attempt() {
  return ChangeRow{
      {"id", std::string(kId)},
      {"user_id", std::string(kUser)},
      {"question_id", std::monostate{}},
      {"answer", std::string("Use a hash map, then sort")},
      {"score", 87.5},
      {"time_taken_seconds", int64_t{95}},
      {"strengths", std::string(R"(["clear"])")},
      {"attempt_number", int64_t{1}},
      {"is_correct", int64_t{1}},
      {"difficulty", std::string("medium")},
      {"created_at", storage::NormalizeTimestamptz("2024-05-01T12:00:00.123456Z")},
  };
}

struct Case {
  const char* filter;
  bool matches;
};

void CheckAll(const storage::Table& table, const ChangeRow& row, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    const std::string filter = c.filter;
    CAPTURE(filter);
    CHECK(Parsed(table, c.filter).Matches(row) == c.matches);
  }
}

TEST_CASE("change filter: empty or blank text matches every row") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  for (const char* text : {"", "   ", " \t "}) {
    const ChangeFilter f = Parsed(table, text);
    CHECK(f.matches_everything());
    CHECK(f.Matches(Attempt()));
    CHECK(f.Matches(ChangeRow{}));
  }
}

TEST_CASE("change filter: the parsed conditions name the column, operator and typed values") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  const ChangeFilter f = Parsed(table, "score=not.gt.50,difficulty=in.(easy,NULL)");
  REQUIRE(f.conditions().size() == 2);
  const auto& score = f.conditions()[0];
  CHECK(score.column == "score");
  CHECK(score.op == ChangeFilter::Op::kGt);
  CHECK(score.negated);
  CHECK(score.type == &table.FindColumn("score")->type);
  REQUIRE(score.values.size() == 1);
  CHECK(score.values[0] == SqlValue(50.0));
  const auto& difficulty = f.conditions()[1];
  CHECK(difficulty.op == ChangeFilter::Op::kIn);
  CHECK(difficulty.values == std::vector<SqlValue>{std::string("easy"), std::monostate{}});
  CHECK_FALSE(f.matches_everything());
}

TEST_CASE("change filter: eq, neq, lt, lte, gt, gte compare typed values") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  CheckAll(table, Attempt(),
           {
               {"difficulty=eq.medium", true},
               {"difficulty=eq.hard", false},
               {"difficulty=neq.hard", true},
               {"difficulty=neq.medium", false},
               {"difficulty=lt.mediun", true},  // text: bytewise
               {"difficulty=gt.mediun", false},
               // numbers numerically: as text "87.5" > "100" and "95" > "100"
               {"score=lt.100", true},
               {"score=gt.100", false},
               {"score=gt.50", true},
               {"score=gte.87.5", true},
               {"score=eq.87.50", true},
               {"score=lte.87.49", false},
               {"score=gt.1000", false},  // past numeric(5,2), still no error
               {"time_taken_seconds=lt.100", true},
               {"time_taken_seconds=gte.95", true},
               {"time_taken_seconds=gt.95", false},
               {"time_taken_seconds=lte.94", false},
               // timestamptz as instants, whatever the offset written
               {"created_at=eq.2024-05-01T14:00:00.123456+02:00", true},
               {"created_at=eq.2024-05-01 12:00:00.123456", true},
               {"created_at=gt.2024-05-01T08:00:00-04:00", true},
               {"created_at=lt.2024-05-01T12:30:00+00:30", false},
               {"created_at=lt.2024-05-01T12:00:01+00:00", true},
               // bool
               {"is_correct=eq.true", true},
               {"is_correct=eq.t", true},
               {"is_correct=eq.false", false},
               {"is_correct=neq.false", true},
               // uuid: any case of the same uuid is the same value
               {"id=eq.8C1F6A52-6F1E-4A8E-9F59-0C2D7F1B9E01", true},
               {"user_id=eq.11111111-2222-3333-4444-555555555555", true},
               {"user_id=eq.11111111-2222-3333-4444-555555555556", false},
               // text[] in its array literal form
               {"strengths=eq.{clear}", true},
               {R"(strengths=eq."{clear,concise}")", false},  // a comma: quoted
           });
}

TEST_CASE("change filter: in takes a parenthesised list, spaces trimmed, quotes and NULL items") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  CheckAll(table, Attempt(),
           {
               {"difficulty=in.(easy,medium)", true},
               {"difficulty=in.(easy,hard)", false},
               {"difficulty=in.( easy , medium )", true},
               {R"(difficulty=in.("medium"))", true},
               {"difficulty=in.()", false},
               {"time_taken_seconds=in.(1,95,3)", true},
               {"score=in.(87.5)", true},
               {"difficulty=not.in.(easy,hard)", true},
               {"difficulty=not.in.(easy,medium)", false},
               {"difficulty=in.(medium,NULL)", true},
               // x IN (a, NULL) with x <> a is unknown, and so is its negation
               {"difficulty=in.(easy,null)", false},
               {"difficulty=not.in.(easy,NULL)", false},
               {R"(difficulty=in.("NULL"))", false},  // quoted: the text NULL
           });
}

TEST_CASE("change filter: like, ilike, match and imatch on text") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  CheckAll(table, Attempt(),
           {
               {"answer=like.Use%", true},
               {"answer=like.use%", false},
               {"answer=ilike.use%", true},
               {"answer=like.*hash*", true},  // `*` is `%`, as in REST filters
               {"answer=like.Use_a%", true},
               {"answer=like.%sort", true},
               {"answer=like.%sor", false},  // the whole value must match
               {"answer=like.Use", false},
               {R"(answer=like."Use a hash map, then sort")", true},
               {"answer=not.like.%hash%", false},
               {"difficulty=like.me\\_ium", false},  // `\_` is a literal underscore
               {"difficulty=like.m.d%", false},      // `.` is not special in LIKE
               {"answer=match.^Use", true},
               {"answer=match.hash", true},  // anywhere, as Postgres' ~
               {"answer=match.SORT$", false},
               {"answer=imatch.SORT$", true},
               {"answer=not.imatch.^use", false},
               {"answer=match.^(a|U)se [a-z]+ hash", true},
           });
  ChangeRow row = Attempt();
  row["answer"] = std::string("100% sure_really");
  CheckAll(table, row,
           {
               {"answer=like.100\\% sure\\_%", true},
               {"answer=like.100\\%sure%", false},
               {"answer=ilike.100\\% SURE%", true},
           });
}

TEST_CASE("change filter: NULL and absent columns match only is.null and isdistinct") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  CheckAll(table, Attempt(),
           {
               {"question_id=is.null", true},
               {"feedback=is.null", true},  // absent from the row
               {"answer=is.null", false},
               {"answer=not.is.null", true},
               {"question_id=not.is.null", false},
               {"feedback=not.is.null", false},
               {"question_id=eq.11111111-2222-3333-4444-555555555555", false},
               {"question_id=not.eq.11111111-2222-3333-4444-555555555555", false},
               {"feedback=neq.x", false},
               {"feedback=not.eq.x", false},
               {"feedback=not.neq.x", false},
               {"feedback=like.%", false},
               {"feedback=not.like.%", false},
               {"feedback=in.(a,b)", false},
               {"feedback=not.in.(a,b)", false},
               {"question_id=isdistinct.11111111-2222-3333-4444-555555555555", true},
               {"question_id=not.isdistinct.11111111-2222-3333-4444-555555555555", false},
               {"difficulty=isdistinct.medium", false},
               {"difficulty=isdistinct.hard", true},
               {"difficulty=not.isdistinct.medium", true},
               {"is_correct=is.true", true},
               {"is_correct=is.false", false},
               {"is_correct=not.is.false", true},
               {"is_correct=is.unknown", false},
               {"is_correct=is.TRUE", true},
           });
  ChangeRow unset = Attempt();
  unset["is_correct"] = std::monostate{};
  CheckAll(table, unset,
           {
               {"is_correct=is.unknown", true},
               {"is_correct=is.true", false},
               {"is_correct=is.false", false},
               {"is_correct=not.is.true", true},
               {"is_correct=eq.false", false},
               {"is_correct=not.eq.false", false},
           });
}

TEST_CASE("change filter: a DELETE's old record holds only the key, so other columns are NULL") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  const ChangeRow old_record{{"id", std::string(kId)}};
  CHECK(Parsed(table, std::string("id=eq.") + kId).Matches(old_record));
  CHECK_FALSE(Parsed(table, std::string("user_id=eq.") + kUser).Matches(old_record));
  CHECK(Parsed(table, std::string("user_id=eq.") + kUser).Matches(Attempt()));
}

TEST_CASE("change filter: conditions joined by commas are ANDed") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  CheckAll(table, Attempt(),
           {
               {"time_taken_seconds=gt.0,time_taken_seconds=lt.100", true},
               {"time_taken_seconds=gt.0,time_taken_seconds=lt.50", false},
               {"time_taken_seconds=gt.100,time_taken_seconds=lt.200", false},
               {"difficulty=in.(easy,medium),score=gt.50,is_correct=is.true", true},
               {"difficulty=in.(easy,medium),score=gt.90", false},
               {"user_id=eq.11111111-2222-3333-4444-555555555555, difficulty=eq.medium", true},
           });
}

TEST_CASE("change filter: quoted values hold commas, parentheses, quotes, backslashes, spaces") {
  testing::TestDb db;
  const auto& table = TableOf(db, "interview_sessions");
  const ChangeRow row{{"title", std::string(R"( a,b (c) "q" \ end )")},
                      {"status", std::string("completed")}};
  CheckAll(table, row,
           {
               {R"(title=eq." a,b (c) \"q\" \\ end ")", true},
               {R"(title=eq."a,b (c) \"q\" \\ end")", false},  // edge spaces count
               {R"(title=in.(x," a,b (c) \"q\" \\ end "),status=eq.completed)", true},
               {R"(title=in.(" a,b (c) \"q\" \\ end "))", true},
               {R"(title=neq."x,y",status=eq."completed")", true},
               {R"(title=like." a,b (c) \"q\" \\\\ end ")", true},
           });
  CHECK(Refusal(table, "title=eq.a,b") == R"(Error parsing `filter` params: ["b"])");
}

TEST_CASE("change filter: in accepts up to 100 values") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  std::string list;
  for (int i = 1; i <= 100; ++i) list += (i > 1 ? "," : "") + std::to_string(i);
  const ChangeFilter f = Parsed(table, "time_taken_seconds=in.(" + list + ")");
  REQUIRE(f.conditions().size() == 1);
  CHECK(f.conditions()[0].values.size() == 100);
  CHECK(f.Matches(Attempt()));
  CHECK(Refusal(table, "time_taken_seconds=in.(" + list + ",101)") ==
        "too many values for `in` filter. Maximum 100");
  CHECK(Refusal(table, "time_taken_seconds=in.(" + list + ",NULL)") ==
        "too many values for `in` filter. Maximum 100");
}

TEST_CASE("change filter: refusals say what is wrong in Realtime's words") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"nope=eq.1", "invalid column for filter nope"},
      {"Difficulty=eq.easy", "invalid column for filter Difficulty"},
      {"difficulty=foo.1", R"(Error parsing `filter` params: ["foo", "1"])"},
      {"difficulty=EQ.easy", R"(Error parsing `filter` params: ["EQ", "easy"])"},
      {"difficulty=cs.{a}", R"(Error parsing `filter` params: ["cs", "{a}"])"},
      {"difficulty", R"(Error parsing `filter` params: ["difficulty"])"},
      {"difficulty=eq", R"(Error parsing `filter` params: ["eq"])"},
      {"difficulty=not.eq", R"(Error parsing `filter` params: ["eq"])"},
      {"difficulty=not.not.eq.x", R"(Error parsing `filter` params: ["not", "eq.x"])"},
      {"difficulty=eq.x,", R"(Error parsing `filter` params: [""])"},
      {R"(difficulty=f"o.1)", R"(Error parsing `filter` params: ["f\"o", "1"])"},
      {"nope=foo.1", R"(Error parsing `filter` params: ["foo", "1"])"},  // operator first
      {"difficulty=in.easy",
       "Error parsing `filter` params: `in` filter value must be wrapped by parentheses"},
      {"difficulty=in.(easy",
       "Error parsing `filter` params: `in` filter value must be wrapped by parentheses"},
      {"difficulty=in.(a,,b)", "Error parsing `filter` params: malformed `in` list"},
      {R"(difficulty=in.("a"b))", "Error parsing `filter` params: malformed `in` list"},
      {R"(difficulty=in.(a"b))", "Error parsing `filter` params: malformed `in` list"},
      {R"(difficulty=in.("a))",
       "Error parsing `filter` params: unterminated quoted value in `in` list"},
      {R"(difficulty=eq."abc)", "Error parsing `filter` params: unterminated quoted value"},
      {R"(difficulty=eq."abc"x)", "Error parsing `filter` params: text after a quoted value"},
      {"user_id=eq.abc", "invalid value for filter user_id of type uuid"},
      {"user_id=in.(11111111-2222-3333-4444-555555555555,abc)",
       "invalid value for filter user_id of type uuid"},
      {"score=gt.abc", "invalid value for filter score of type numeric"},
      {"time_taken_seconds=eq.1.5", "invalid value for filter time_taken_seconds of type integer"},
      {"time_taken_seconds=eq.3000000000",
       "invalid value for filter time_taken_seconds of type integer"},
      {"created_at=gt.yesterday",
       "invalid value for filter created_at of type timestamp with time zone"},
      {"is_correct=eq.maybe", "invalid value for filter is_correct of type boolean"},
      {"question_id=isdistinct.x", "invalid value for filter question_id of type uuid"},
      {"answer=is.maybe", "Error parsing `filter` params: `is` takes null, true, false or unknown"},
      {"answer=is.true", "operator is.true is not supported on filter column answer of type text"},
      {"score=like.8%", "operator like is not supported on filter column score of type numeric"},
      {"user_id=match.^1", "operator match is not supported on filter column user_id of type uuid"},
      {R"(answer=like.Use a hash map\, then sort)",  // the comma splits: `\` ends the first
       "Error parsing `filter` params: LIKE pattern must not end with escape character"},
      {"answer=like.abc\\",
       "Error parsing `filter` params: LIKE pattern must not end with escape character"},
      {"answer=match.(", "invalid regular expression for filter answer: missing ): ("},
      {"answer=imatch.(a)\\1",
       "invalid regular expression for filter answer: invalid escape sequence: \\1"},
  };
  for (const auto& [filter, message] : cases) {
    CAPTURE(filter);
    CHECK(Refusal(table, filter) == message);
  }
}

TEST_CASE("change filter: a computed column is refused, it is not in the change record") {
  testing::TestDb db;
  const auto& leaderboard = TableOf(db, "leaderboard");
  REQUIRE(leaderboard.IsComputed("rank"));
  CHECK(Refusal(leaderboard, "rank=lt.10") ==
        "invalid column for filter rank: it is computed when read");
  CHECK(Refusal(leaderboard, "total_score=gt.10,rank=lt.10") ==
        "invalid column for filter rank: it is computed when read");
  // The positive control: a stored column of the same table.
  const ChangeRow row{{"total_score", int64_t{42}}};
  CHECK(Parsed(leaderboard, "total_score=gt.10").Matches(row));
}

TEST_CASE("change filter: text, conditions and patterns are bounded") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  const std::string long_value(ChangeFilter::kMaxFilterBytes, 'x');
  CHECK(Refusal(table, "answer=eq." + long_value) == "filter is longer than 4096 bytes");
  const std::string just_fits = "answer=eq." + std::string(ChangeFilter::kMaxFilterBytes - 10, 'x');
  CHECK(Refusal(table, just_fits) == "(parsed)");

  std::string conditions = "score=gt.1";
  for (size_t i = 1; i < ChangeFilter::kMaxConditions; ++i) conditions += ",score=gt.1";
  CHECK(Parsed(table, conditions).conditions().size() == ChangeFilter::kMaxConditions);
  CHECK(Refusal(table, conditions + ",score=gt.1") == "filter has more than 16 conditions");
  CHECK(Refusal(table, conditions + ",nope") == "filter has more than 16 conditions");

  CHECK(Refusal(table, "answer=match." + std::string(2000, 'a')) ==
        "invalid regular expression for filter answer: pattern is longer than 1024 bytes");
  CHECK(Refusal(table, "answer=like." + std::string(2000, '%')) == "(parsed)");
  CHECK(Refusal(table, "answer=like." + std::string(2000, 'a')) ==
        "invalid LIKE pattern for filter answer: pattern is longer than 1024 bytes");
}

TEST_CASE("change filter: echoed client text is cut short and made valid UTF-8") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  const std::string message = Refusal(table, std::string(200, 'n') + "\xff\xfe=eq.1");
  CHECK(message == "invalid column for filter " + std::string(64, 'n') + "...");
  const std::string bad = Refusal(table, "ab\xc3=eq.1");
  CHECK(bad == storage::ToValidUtf8(bad));
  CHECK(bad.find("ab") != std::string::npos);
  // Replacement characters and escapes count against the cap too: a refusal stays short.
  const std::string invalid = Refusal(table, "a=" + std::string(200, '\xff') + ".x");
  CHECK(invalid == storage::ToValidUtf8(invalid));
  CHECK(invalid.size() <= 120);
  CHECK(invalid.find("...") != std::string::npos);
  const std::string quotes = Refusal(table, "a=" + std::string(100, '"') + "x.y");
  std::string escaped;
  for (int i = 0; i < 32; ++i) escaped += "\\\"";
  CHECK(quotes == "Error parsing `filter` params: [\"" + escaped + "...\", \"y\"]");
}

TEST_CASE("change filter: a parsed filter is a value, its copies match alike") {
  testing::TestDb db;
  const auto& table = TableOf(db, "practice_attempts");
  std::vector<ChangeFilter> filters;
  {
    const ChangeFilter original = Parsed(table, "answer=imatch.HASH,difficulty=like.med%");
    filters.push_back(original);
    filters.push_back(original);
  }
  for (const ChangeFilter& f : filters) CHECK(f.Matches(Attempt()));
}

// Deterministic mangling of valid filters: every result parses or is refused with a short,
// valid UTF-8 message, and a parsed filter can be matched against rows without throwing.
TEST_CASE("change filter: mangled filters never throw and refusals stay short") {
  testing::TestDb db;
  const auto& attempts = TableOf(db, "practice_attempts");
  const auto& sessions = TableOf(db, "interview_sessions");
  const std::vector<std::string> seeds = {
      "score=gt.50,score=lt.100",
      R"(difficulty=in.("a,b",c,NULL))",
      "answer=not.ilike.*hash*",
      "answer=match.^(a|b)+$",
      "is_correct=not.is.true",
      "question_id=isdistinct.11111111-2222-3333-4444-555555555555",
      "created_at=gte.2024-05-01T12:00:00+02:00",
      R"(title=eq." a,b \"q\" \\ ")",
      "metadata=eq.{\"a\":1}",
      "strengths=eq.{a,\"b c\"}",
  };
  const std::string alphabet = ",().=\"\\ *%_{}[]notinlikeqgs0123456789-:+\xff\xc3\x80";
  std::mt19937 rng(12);
  const std::vector<ChangeRow> rows = {
      Attempt(), ChangeRow{}, ChangeRow{{"id", std::string(kId)}},
      ChangeRow{{"title", int64_t{3}}, {"score", std::string("x")}}};
  int parsed = 0;
  int refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 2);
    for (int e = 0; e < edits; ++e) {
      const size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 4) {
        case 0:
          text.insert(at, 1, c);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        case 2:
          if (at < text.size()) text[at] = c;
          break;
        default:
          text.insert(at, text.substr(at / 2, 8));
          break;
      }
    }
    CAPTURE(text);
    const storage::Table& table = (i % 2) ? sessions : attempts;
    auto result = ChangeFilter::Parse(text, table);
    if (const auto* error = std::get_if<FilterError>(&result)) {
      ++refused;
      CHECK_FALSE(error->message.empty());
      CHECK(error->message.size() <= 200);
      CHECK(error->message == storage::ToValidUtf8(error->message));
      continue;
    }
    ++parsed;
    const ChangeFilter& f = std::get<ChangeFilter>(result);
    for (const ChangeRow& row : rows) CHECK_NOTHROW(f.Matches(row));
  }
  CHECK(parsed > 1000);
  CHECK(refused > 1000);
}

}  // namespace
}  // namespace ib::realtime
