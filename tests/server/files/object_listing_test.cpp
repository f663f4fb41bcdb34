#include "server/files/object_listing.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/error.h"

namespace ib::files {
namespace {

using nlohmann::json;

ObjectRow Row(const std::string& name, const std::string& created = "2024-01-01T00:00:00",
              const std::string& updated = "") {
  ObjectRow r;
  r.id = "id-" + name;
  r.bucket_id = "b";
  r.name = name;
  r.size = static_cast<int64_t>(name.size());
  r.mimetype = "text/plain";
  r.created_at = created;
  r.updated_at = updated.empty() ? created : updated;
  r.last_accessed_at = r.updated_at;
  return r;
}

std::vector<std::string> Names(const std::vector<ObjectRow>& rows, const ListOptions& o) {
  std::vector<std::string> out;
  for (const auto& e : CollapseListing(rows, o)) out.push_back(e.ToString());
  return out;
}

ListOptions Opts(const std::string& prefix, const std::string& search = "",
                 const std::string& column = "name", bool desc = false, int64_t limit = 100,
                 int64_t offset = 0) {
  ListOptions o;
  o.prefix = prefix;
  o.search = search;
  o.sort_column = column;
  o.descending = desc;
  o.limit = limit;
  o.offset = offset;
  return o;
}

const std::vector<ObjectRow>& Tree() {
  static const std::vector<ObjectRow> rows = {
      Row("top.txt", "2024-01-03"),
      Row("dir/a b.txt", "2024-01-01"),
      Row("dir/sub/deep.txt", "2024-01-02"),
      Row("dir/sub/deeper/x.txt", "2024-01-02"),
      Row("dir/Zeta.txt", "2024-01-05"),
      Row("dir2/y.txt", "2024-01-04"),
      Row("Apple.txt", "2024-01-06"),
  };
  return rows;
}

TEST_CASE("files/listing: one level, folders collapsed, names relative") {
  CHECK(Names(Tree(), Opts("")) ==
        std::vector<std::string>{"Apple.txt", "dir/", "dir2/", "top.txt"});
  CHECK(Names(Tree(), Opts("dir")) ==
        std::vector<std::string>{"Zeta.txt", "a b.txt", "sub/"});
  CHECK(Names(Tree(), Opts("dir/")) == Names(Tree(), Opts("dir")));  // trailing '/' optional
  CHECK(Names(Tree(), Opts("dir/sub")) == std::vector<std::string>{"deep.txt", "deeper/"});
  CHECK(Names(Tree(), Opts("di")).empty());  // a prefix is a folder, not a name prefix
  CHECK(Names(Tree(), Opts("nope")).empty());
}

TEST_CASE("files/listing: search is a case-insensitive name prefix") {
  CHECK(Names(Tree(), Opts("", "d")) == std::vector<std::string>{"dir/", "dir2/"});
  CHECK(Names(Tree(), Opts("", "DIR2")) == std::vector<std::string>{"dir2/"});
  CHECK(Names(Tree(), Opts("", "a")) == std::vector<std::string>{"Apple.txt"});
  CHECK(Names(Tree(), Opts("dir", "z")) == std::vector<std::string>{"Zeta.txt"});
  CHECK(Names(Tree(), Opts("dir", "dir")).empty());        // matched against relative names
  CHECK(Names(Tree(), Opts("", "dir/s")).empty());         // a folder entry is named "dir"
}

TEST_CASE("files/listing: sorting and paging") {
  // By name: byte order, folders interleaved, desc reverses.
  CHECK(Names(Tree(), Opts("", "", "name", true)) ==
        std::vector<std::string>{"top.txt", "dir2/", "dir/", "Apple.txt"});
  // By a date: folders first (by name), then files by the date.
  CHECK(Names(Tree(), Opts("", "", "created_at")) ==
        std::vector<std::string>{"dir/", "dir2/", "top.txt", "Apple.txt"});
  CHECK(Names(Tree(), Opts("", "", "created_at", true)) ==
        std::vector<std::string>{"dir2/", "dir/", "Apple.txt", "top.txt"});
  CHECK(Names(Tree(), Opts("dir", "", "updated_at")) ==
        std::vector<std::string>{"sub/", "a b.txt", "Zeta.txt"});
  // Offset and limit apply after sorting.
  CHECK(Names(Tree(), Opts("", "", "name", false, 2, 1)) ==
        std::vector<std::string>{"dir/", "dir2/"});
  CHECK(Names(Tree(), Opts("", "", "name", false, 0, 0)).empty());
  CHECK(Names(Tree(), Opts("", "", "name", false, 100, 4)).empty());
  CHECK(Names(Tree(), Opts("", "", "name", false, 100, 1000)).empty());
}

TEST_CASE("files/listing: a file and a folder of the same name both appear") {
  std::vector<ObjectRow> rows = {Row("a"), Row("a/b")};
  CHECK(Names(rows, Opts("")) == std::vector<std::string>{"a/", "a"});
}

TEST_CASE("files/listing: JSON shapes of files and folders") {
  std::vector<ObjectRow> rows = {Row("dir/f.txt"), Row("dir/sub/g.txt")};
  json out = ListingJson(CollapseListing(rows, Opts("dir")));
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
  ListOptions o = ParseListOptions(json::parse(
      R"({"limit":10,"offset":5,"sortBy":{"column":"created_at","order":"desc"},"prefix":"x","search":"q"})"));
  CHECK(o.limit == 10);
  CHECK(o.offset == 5);
  CHECK(o.sort_column == "created_at");
  CHECK(o.descending);
  CHECK(o.Folder() == "x/");
  CHECK(o.search == "q");
  ListOptions d = ParseListOptions(json::object());
  CHECK(d.limit == 100);
  CHECK(d.Folder().empty());
  CHECK(d.sort_column == "name");
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
