#include "server/files/object_listing.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/error.h"

namespace ib::files {
namespace {

using nlohmann::json;
using storage::objects::ObjectRow;

ObjectRow Row(const std::string& name) {
  ObjectRow r;
  r.id = "id-" + name;
  r.bucket_id = "b";
  r.name = name;
  r.size = static_cast<int64_t>(name.size());
  r.mimetype = "text/plain";
  r.created_at = "2024-01-01";
  r.updated_at = r.created_at;
  r.last_accessed_at = r.updated_at;
  return r;
}

TEST_CASE("files/listing: JSON shapes of files and folders") {
  std::vector<storage::objects::ListedEntry> entries = {{"f.txt", Row("dir/f.txt")},
                                                        {"sub", std::nullopt}};
  json out = ListingJson(entries);
  REQUIRE(out.size() == 2);
  CHECK(out[0]["name"] == "f.txt");
  CHECK(out[0]["id"] == "id-dir/f.txt");
  CHECK(out[0]["metadata"]["size"] == 9);
  CHECK(out[0]["metadata"]["mimetype"] == "text/plain");
  CHECK(out[0]["metadata"]["httpStatusCode"] == 200);
  CHECK(out[1]["name"] == "sub");
  CHECK(out[1]["id"].is_null());
  CHECK(out[1]["metadata"].is_null());
  CHECK(out[1]["created_at"].is_null());
}

TEST_CASE("files/listing: request body parsing") {
  storage::objects::ListQuery o = ParseListOptions(json::parse(
      R"({"limit":10,"offset":5,"sortBy":{"column":"created_at","order":"desc"},"prefix":"x","search":"q"})"));
  CHECK(o.limit == 10);
  CHECK(o.offset == 5);
  CHECK(o.sort == storage::objects::ListSort::kCreatedAt);
  CHECK(o.descending);
  CHECK(o.folder == "x/");
  CHECK(o.search == "q");
  storage::objects::ListQuery d = ParseListOptions(json::object());
  CHECK(d.limit == 100);
  CHECK(d.folder.empty());
  CHECK(d.sort == storage::objects::ListSort::kName);
  CHECK(ParseListOptions(json::parse(R"({"prefix":"x/"})")).folder == "x/");  // '/' optional
  CHECK_THROWS_AS(ParseListOptions(json::parse(R"({"limit":"x"})")), storage::Error);
  CHECK_THROWS_AS(ParseListOptions(json::parse(R"({"limit":-1})")), storage::Error);
  CHECK_THROWS_AS(ParseListOptions(json::parse(R"({"sortBy":{"column":"id; drop"}})")),
                  storage::Error);
  CHECK_THROWS_AS(ParseListOptions(json::parse(R"({"sortBy":{"order":"sideways"}})")),
                  storage::Error);
  CHECK_THROWS_AS(ParseListOptions(json::parse("[]")), storage::Error);
}

}  // namespace
}  // namespace ib::files
