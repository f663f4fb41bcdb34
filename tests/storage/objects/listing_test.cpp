// The listing query: one folder level collapsed, sorted and paged in SQL, over the rows the
// caller may read. Hostile prefixes and searches (LIKE wildcards, '..', percent signs) are
// plain bound text: they never widen a listing, and folder names come only from readable rows.
#include "storage/objects/listing.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/executor.h"
#include "tests/support/test_db.h"

namespace ib::storage::objects {
namespace {

void AddObject(testing::TestDb& t, const std::string& bucket, const std::string& name,
               const std::string& created = "2024-01-01T00:00:00.000000+00:00") {
  Executor(t.conn()).Run(
      {"INSERT INTO storage_objects (bucket_id, name, size, mimetype, cache_control, etag, "
       "created_at, updated_at, last_accessed_at) VALUES (?, ?, ?, 'text/plain', 'no-cache', "
       "'\"e\"', ?, ?, ?)",
       {bucket, name, static_cast<int64_t>(name.size()), created, created, created},
       "storage_objects"});
}

// The tree every ordering case below reads.
void SeedTree(testing::TestDb& t) {
  t.Exec("INSERT INTO storage_buckets (id, name) VALUES ('b', 'b')");
  AddObject(t, "b", "top.txt", "2024-01-03");
  AddObject(t, "b", "dir/a b.txt", "2024-01-01");
  AddObject(t, "b", "dir/sub/deep.txt", "2024-01-02");
  AddObject(t, "b", "dir/sub/deeper/x.txt", "2024-01-02");
  AddObject(t, "b", "dir/Zeta.txt", "2024-01-05");
  AddObject(t, "b", "dir2/y.txt", "2024-01-04");
  AddObject(t, "b", "Apple.txt", "2024-01-06");
}

ListQuery Q(const std::string& folder, const std::string& search = "",
            ListSort sort = ListSort::kName, bool desc = false, int64_t limit = 100,
            int64_t offset = 0) {
  ListQuery q;
  q.folder = folder;
  q.search = search;
  q.sort = sort;
  q.descending = desc;
  q.limit = limit;
  q.offset = offset;
  return q;
}

std::vector<std::string> Names(testing::TestDb& t, const ListQuery& q,
                               const Principal& who = testing::Service(),
                               const std::string& bucket = "b") {
  std::vector<std::string> out;
  for (const auto& e : ListFolder(t.conn(), who, bucket, q)) out.push_back(e.ToString());
  return out;
}

using V = std::vector<std::string>;

TEST_CASE("objects/listing: one level, folders collapsed, names relative") {
  testing::TestDb t;
  SeedTree(t);
  CHECK(Names(t, Q("")) == V{"Apple.txt", "dir/", "dir2/", "top.txt"});
  CHECK(Names(t, Q("dir/")) == V{"Zeta.txt", "a b.txt", "sub/"});
  CHECK(Names(t, Q("dir/sub/")) == V{"deep.txt", "deeper/"});
  CHECK(Names(t, Q("di/")).empty());  // a prefix is a folder, not a name prefix
  CHECK(Names(t, Q("nope/")).empty());
}

TEST_CASE("objects/listing: search is a case-insensitive entry-name prefix") {
  testing::TestDb t;
  SeedTree(t);
  CHECK(Names(t, Q("", "d")) == V{"dir/", "dir2/"});
  CHECK(Names(t, Q("", "DIR2")) == V{"dir2/"});
  CHECK(Names(t, Q("", "a")) == V{"Apple.txt"});
  CHECK(Names(t, Q("dir/", "z")) == V{"Zeta.txt"});
  CHECK(Names(t, Q("dir/", "dir")).empty());  // matched against relative names
  CHECK(Names(t, Q("", "dir/s")).empty());    // a folder entry is named "dir"
}

TEST_CASE("objects/listing: sorting and paging") {
  testing::TestDb t;
  SeedTree(t);
  // By name: byte order, folders interleaved, desc reverses.
  CHECK(Names(t, Q("", "", ListSort::kName, true)) == V{"top.txt", "dir2/", "dir/", "Apple.txt"});
  // By a date: folders first (by name), then files by the date.
  CHECK(Names(t, Q("", "", ListSort::kCreatedAt)) == V{"dir/", "dir2/", "top.txt", "Apple.txt"});
  CHECK(Names(t, Q("", "", ListSort::kCreatedAt, true)) ==
        V{"dir2/", "dir/", "Apple.txt", "top.txt"});
  CHECK(Names(t, Q("dir/", "", ListSort::kUpdatedAt)) == V{"sub/", "a b.txt", "Zeta.txt"});
  // Offset and limit apply after sorting.
  CHECK(Names(t, Q("", "", ListSort::kName, false, 2, 1)) == V{"dir/", "dir2/"});
  CHECK(Names(t, Q("", "", ListSort::kName, false, 0, 0)).empty());
  CHECK(Names(t, Q("", "", ListSort::kName, false, 100, 4)).empty());
  CHECK(Names(t, Q("", "", ListSort::kName, false, 100, 1000)).empty());
}

TEST_CASE("objects/listing: a file and a folder of the same name both appear") {
  testing::TestDb t;
  t.Exec("INSERT INTO storage_buckets (id, name) VALUES ('b', 'b')");
  AddObject(t, "b", "a");
  AddObject(t, "b", "a/b");
  CHECK(Names(t, Q("")) == V{"a/", "a"});
}

TEST_CASE("objects/listing: file entries carry their row") {
  testing::TestDb t;
  SeedTree(t);
  auto entries = ListFolder(t.conn(), testing::Service(), "b", Q("dir/"));
  REQUIRE(entries.size() == 3);
  REQUIRE(entries[1].object);
  CHECK(entries[1].object->name == "dir/a b.txt");
  CHECK(entries[1].object->size == 11);
  CHECK(entries[1].object->mimetype == "text/plain");
  CHECK_FALSE(entries[2].object);  // sub/
}

// Alice and Bob each own a folder of interview-audio; the service put a file at its top.
struct TwoUsers {
  testing::TestDb t;
  std::string alice = t.AddUser("alice@example.com");
  std::string bob = t.AddUser("bob@example.com");
  TwoUsers() {
    AddObject(t, "interview-audio", alice + "/q1.webm");
    AddObject(t, "interview-audio", alice + "/s1/q2.webm");
    AddObject(t, "interview-audio", bob + "/q1.webm");
    AddObject(t, "interview-audio", bob + "/secret-folder/q2.webm");
    AddObject(t, "interview-audio", "service-top.webm");
    AddObject(t, "interview-audio", "%/x.webm");
    AddObject(t, "interview-audio", "_/x.webm");
  }
  V List(const std::string& who, const ListQuery& q) {
    return Names(t, q, testing::User(who), "interview-audio");
  }
};

TEST_CASE("objects/listing: a user's listing names only what they may read") {
  TwoUsers u;
  CHECK(u.List(u.alice, Q("")) == V{u.alice + "/"});
  CHECK(u.List(u.alice, Q(u.alice + "/")) == V{"q1.webm", "s1/"});
  CHECK(u.List(u.bob, Q("")) == V{u.bob + "/"});
  CHECK(u.List(u.alice, Q(u.bob + "/")).empty());
  CHECK(u.List(u.alice, Q(u.bob + "/secret-folder/")).empty());
  CHECK(u.List(u.alice, Q("", u.bob.substr(0, 4))).empty());
  // The service sees everything, in byte order.
  V all = {"%/", u.alice + "/", u.bob + "/", "_/", "service-top.webm"};
  std::sort(all.begin(), all.end());
  CHECK(Names(u.t, Q(""), testing::Service(), "interview-audio") == all);
}

TEST_CASE("objects/listing: hostile prefixes and searches never widen a listing") {
  TwoUsers u;
  const V own_top = {u.alice + "/"};
  const std::vector<std::string> prefixes = {"%/",
                                             "_/",
                                             "\\/",
                                             "%%/",
                                             "../",
                                             "./",
                                             "/",
                                             "//",
                                             u.alice + "/../",
                                             "%25/",
                                             "%2F/",
                                             u.alice + "/%/",
                                             u.alice + "/_/",
                                             u.alice.substr(0, 8) + "%/",
                                             "*/",
                                             "'/",
                                             "\"/",
                                             u.alice + "0/",
                                             u.alice + "./",
                                             u.bob + "/../" + u.alice + "/"};
  for (const auto& prefix : prefixes) {
    CAPTURE(prefix);
    const V names = u.List(u.alice, Q(prefix));
    for (const auto& name : names) {
      CAPTURE(name);
      CHECK(name.find(u.bob) == std::string::npos);
      CHECK(name.find("secret") == std::string::npos);
      CHECK(name.find("service") == std::string::npos);
    }
    CHECK(names.empty());  // none of these is a folder of Alice's
  }
  const std::vector<std::string> searches = {"%", "_", "\\", "%%", "..", u.bob.substr(0, 2),
                                             "*", "'"};
  for (const auto& search : searches) {
    CAPTURE(search);
    const V top = u.List(u.alice, Q("", search));
    CHECK((top.empty() || top == own_top));
    CHECK(u.List(u.alice, Q(u.alice + "/", search)).empty());
  }
  CHECK(u.List(u.alice, Q("", u.alice.substr(0, 3))) == own_top);
}

}  // namespace
}  // namespace ib::storage::objects
