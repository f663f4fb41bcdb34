// preferences: Prefer tokens, Accept media types, Range headers (docs/wire.md, "Headers").
#include "server/rest/preferences.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "storage/error.h"

namespace ib::rest {
namespace {

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : "|") + s;
  return out;
}

TEST_CASE("preferences: Prefer tokens") {
  struct Case {
    std::vector<std::string> headers;
    std::string expected;  // Preferences::ToString()
    std::string applied;
    std::string invalid;
  };
  const std::vector<Case> cases = {
      {{}, "", "", ""},
      {{""}, "", "", ""},
      {{"return=representation"}, "return=representation", "return=representation", ""},
      {{"return=minimal"}, "return=minimal", "return=minimal", ""},
      {{"return=headers-only"}, "return=headers-only", "return=headers-only", ""},
      {{"count=exact"}, "count=exact", "count=exact", ""},
      {{"count=planned"}, "count=planned", "count=planned", ""},
      {{"count=estimated"}, "count=estimated", "count=estimated", ""},
      {{"resolution=merge-duplicates"},
       "resolution=merge-duplicates",
       "resolution=merge-duplicates",
       ""},
      {{"resolution=ignore-duplicates"},
       "resolution=ignore-duplicates",
       "resolution=ignore-duplicates",
       ""},
      {{"missing=default"}, "missing=default", "missing=default", ""},
      {{"missing=null"}, "", "missing=null", ""},
      {{"handling=strict, max-affected=5"},
       "handling=strict,max-affected=5",
       "handling=strict|max-affected=5",
       ""},
      {{"handling=lenient"}, "", "handling=lenient", ""},
      {{"tx=rollback"}, "tx=rollback", "tx=rollback", ""},
      {{"tx=commit"}, "", "tx=commit", ""},
      {{"params=single-object"}, "", "", ""},  // recognised, ignored
      // supabase-js joins several tokens with commas; several headers are also allowed.
      {{"return=representation,count=exact", "resolution=merge-duplicates , missing=default"},
       "return=representation,count=exact,resolution=merge-duplicates,missing=default",
       "return=representation|count=exact|resolution=merge-duplicates|missing=default",
       ""},
      // The first token of a kind wins; a repeat is neither applied nor invalid.
      {{"return=minimal,return=representation"}, "return=minimal", "return=minimal", ""},
      // Unknown tokens (and unknown values) are ignored but collected.
      {{"foo=bar, return=nope,count, ,timezone=UTC,max-affected=-1,max-affected=x"},
       "",
       "",
       "foo=bar|return=nope|count|timezone=UTC|max-affected=-1|max-affected=x"},
      {{"Return=minimal"}, "", "", "Return=minimal"},
  };
  for (const Case& c : cases) {
    INFO("Prefer: " << Joined(c.headers));
    const Preferences p = ParsePrefer(c.headers);
    CHECK(p.ToString() == c.expected);
    CHECK(Joined(p.applied) == c.applied);
    CHECK(Joined(p.invalid) == c.invalid);
  }
  const Preferences p = ParsePrefer({"max-affected=9223372036854775807,missing=default"});
  CHECK(p.max_affected == INT64_MAX);
  CHECK(p.missing_default);
  CHECK(ParsePrefer({"max-affected=9223372036854775808"}).invalid.size() == 1);
}

TEST_CASE("preferences: Accept media types") {
  struct Case {
    std::string accept;
    MediaType expected;
  };
  const std::vector<Case> cases = {
      {"", MediaType::kJson},
      {"  ", MediaType::kJson},
      {"*/*", MediaType::kJson},
      {"application/json", MediaType::kJson},
      {"application/json; charset=utf-8", MediaType::kJson},
      {"application/*", MediaType::kJson},
      {"Application/JSON", MediaType::kJson},
      {"application/vnd.pgrst.object+json", MediaType::kSingleObject},
      {"application/vnd.pgrst.object+json;nulls=stripped", MediaType::kSingleObject},
      {"application/vnd.pgrst.object", MediaType::kSingleObject},
      {"text/csv", MediaType::kCsv},
      {"application/openapi+json", MediaType::kOpenApi},
      {"application/vnd.pgrst.array+json;nulls=stripped", MediaType::kArrayStripNulls},
      {"application/vnd.pgrst.array+json; nulls=stripped", MediaType::kArrayStripNulls},
      {"application/vnd.pgrst.array+json", MediaType::kJson},
      // A list: the first supported entry wins.
      {"application/geo+json, text/csv, application/json", MediaType::kCsv},
      {"application/vnd.pgrst.plan+json, */*;q=0.8", MediaType::kJson},
      {"text/html,application/vnd.pgrst.object+json", MediaType::kSingleObject},
  };
  for (const Case& c : cases) {
    INFO("Accept: " << c.accept);
    CHECK(ParseAccept(c.accept) == c.expected);
  }
}

TEST_CASE("preferences: unsupported Accept is 406 PGRST107") {
  for (const std::string accept :
       {"application/geo+json", "application/vnd.pgrst.plan+json", "text/html, image/png", ",",
        "application/vnd.pgrst.plan+text; for=\"application/json\""}) {
    INFO("Accept: " << accept);
    try {
      ParseAccept(accept);
      FAIL("accepted");
    } catch (const storage::Error& e) {
      CHECK(e.status() == 406);
      CHECK(e.code() == "PGRST107");
      CHECK(e.message() == "None of these media types are available: " + accept);
    }
  }
}

TEST_CASE("preferences: Range header") {
  struct Case {
    std::string range;
    std::optional<int64_t> offset;
    std::optional<int64_t> limit;
  };
  const std::vector<Case> cases = {
      {"0-9", 0, 10},
      {"10-", 10, std::nullopt},
      {" 5-5 ", 5, 1},
      {"0-0", 0, 1},
      {"9-3", std::nullopt, {}},
      {"-5", std::nullopt, {}},
      {"a-b", std::nullopt, {}},
      {"", std::nullopt, {}},
      {"1-2-3", std::nullopt, {}},
      {"items=0-9", std::nullopt, {}},
      {"0-99999999999999999999", std::nullopt, {}},
      {"0-9223372036854775807", std::nullopt, {}},
  };
  for (const Case& c : cases) {
    INFO("Range: " << c.range);
    const std::optional<RangeHeader> r = ParseRangeHeader(c.range);
    REQUIRE(r.has_value() == c.offset.has_value());
    if (!r) continue;
    CHECK(r->offset == *c.offset);
    CHECK(r->limit == c.limit);
  }
}

}  // namespace
}  // namespace ib::rest
