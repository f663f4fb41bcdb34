// In-process scenarios for the storage half of /storage/v1 on a fresh in-memory database:
// chunked writes and reads, the single publishing transaction, purges, policies and the
// auth-user cascade.
#include "server/files/object_store.h"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "server/files/buckets.h"
#include "server/files/objects.h"
#include "server/files/uploads.h"
#include "storage/error.h"
#include "tests/support/test_db.h"

namespace ib::files {
namespace {

using testing::TestDb;

constexpr int64_t kGlobal = 52428800;

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xFF);
  return out;
}

int64_t Count(TestDb& t, const std::string& table) {
  return std::get<int64_t>(t.Scalar("SELECT count(*) FROM " + table));
}

// Streams `bytes` in odd-sized pieces (as a socket would) and publishes them.
PublishedObject Put(TestDb& t, const storage::Principal& who, const std::string& bucket,
                    const std::string& key, const std::string& bytes, bool upsert = false) {
  UploadTarget target{bucket, key, upsert};
  UploadLimits limits = PrepareUpload(t.db(), who, target, kGlobal);
  ObjectWriter writer(t.db(), limits.max_size);
  for (size_t at = 0; at < bytes.size(); at += 7777) {
    writer.Append(bytes.data() + at, std::min<size_t>(7777, bytes.size() - at));
  }
  UploadAttributes attributes;
  attributes.mimetype = "audio/webm";
  auto published = PublishUpload(t.db(), who, target, attributes, writer.Finish(), kGlobal);
  writer.Keep();
  return published;
}

std::string ReadAll(TestDb& t, const ObjectRow& row) {
  std::string out;
  while (static_cast<int64_t>(out.size()) < row.size) {
    std::string piece = ReadContentSlice(t.db(), row.content_id,
                                         static_cast<int64_t>(out.size()), 100000);
    if (piece.empty()) break;
    out += piece;
  }
  return out;
}

std::string ErrorCode(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const storage::Error& e) {
    return e.code();
  }
  return "ok";
}

TEST_CASE("files/store: chunked round trip, slices never cross a chunk") {
  TestDb t;
  const std::string bytes = RandomBytes(3 * kChunkSize + 12345, 1);
  auto published = Put(t, testing::Service(), "interview-audio", "svc/a.webm", bytes);
  CHECK(published.key == "interview-audio/svc/a.webm");
  CHECK(Count(t, "storage_object_chunks") == 4);
  auto target = FindReadableObject(t.db(), testing::Service(), "interview-audio", "svc/a.webm");
  CHECK(target.object.size == static_cast<int64_t>(bytes.size()));
  CHECK(target.object.etag.size() == 34);  // quoted md5 hex
  CHECK(ReadAll(t, target.object) == bytes);
  // A slice starting near a chunk's end stops at the boundary.
  std::string edge = ReadContentSlice(t.db(), target.object.content_id, kChunkSize - 10, 100);
  CHECK(edge == bytes.substr(kChunkSize - 10, 10));
  std::string middle = ReadContentSlice(t.db(), target.object.content_id, 5000, 10);
  CHECK(middle == bytes.substr(5000, 10));
  CHECK(ReadContentSlice(t.db(), target.object.content_id,
                         static_cast<int64_t>(bytes.size()), 10)
            .empty());
}

TEST_CASE("files/store: too large or abandoned uploads leave nothing behind") {
  TestDb t;
  {
    ObjectWriter writer(t.db(), 2 * kChunkSize);
    std::string chunk(kChunkSize, 'x');
    writer.Append(chunk.data(), chunk.size());
    writer.Append(chunk.data(), chunk.size());
    CHECK(Count(t, "storage_object_chunks") == 2);
    writer.Append("y", 1);  // one byte over
    CHECK(writer.too_large());
    CHECK(Count(t, "storage_object_chunks") == 0);
    CHECK(Count(t, "storage_contents") == 0);
    writer.Append(chunk.data(), chunk.size());  // still draining: dropped
    CHECK(writer.size() == 3 * static_cast<int64_t>(kChunkSize) + 1);
  }
  {
    ObjectWriter writer(t.db(), kGlobal);
    std::string chunk(kChunkSize + 5, 'x');
    writer.Append(chunk.data(), chunk.size());
    writer.Finish();
    CHECK(Count(t, "storage_contents") == 1);
  }  // never published: discarded
  CHECK(Count(t, "storage_contents") == 0);
  CHECK(Count(t, "storage_object_chunks") == 0);
  CHECK(Count(t, "storage_objects") == 0);
}

TEST_CASE("files/store: abandoned staged contents are removed at start") {
  TestDb t;
  t.Exec("INSERT INTO storage_contents (object_id) VALUES (NULL)");
  t.Exec("INSERT INTO storage_object_chunks (content_id, idx, data) VALUES "
         "(last_insert_rowid(), 0, x'00')");
  RemoveAbandonedUploads(t.db());
  CHECK(Count(t, "storage_contents") == 0);
  CHECK(Count(t, "storage_object_chunks") == 0);
}

TEST_CASE("files/store: overwrite, duplicates, copy and remove") {
  TestDb t;
  auto svc = testing::Service();
  auto first = Put(t, svc, "interview-audio", "k.webm", RandomBytes(kChunkSize * 2, 2));
  CHECK(ErrorCode([&] { Put(t, svc, "interview-audio", "k.webm", "x"); }) == "KeyAlreadyExists");
  auto second = Put(t, svc, "interview-audio", "k.webm", "new bytes", /*upsert=*/true);
  CHECK(second.id == first.id);  // upsert keeps the id
  CHECK(Count(t, "storage_object_chunks") == 1);  // the old two chunks purged
  CHECK(Count(t, "storage_contents") == 1);

  MoveRequest copy{"interview-audio", "k.webm", "interview-audio", "copy.webm"};
  std::string copy_id = CopyObject(t.db(), svc, copy, kGlobal);
  CHECK(copy_id != first.id);
  auto copied = FindReadableObject(t.db(), svc, "interview-audio", "copy.webm");
  CHECK(ReadAll(t, copied.object) == "new bytes");
  CHECK(ErrorCode([&] { CopyObject(t.db(), svc, copy, kGlobal); }) == "KeyAlreadyExists");

  MoveRequest move{"interview-audio", "copy.webm", "interview-audio", "moved/copy.webm"};
  MoveObject(t.db(), svc, move, kGlobal);
  CHECK(ErrorCode([&] { FindReadableObject(t.db(), svc, "interview-audio", "copy.webm"); }) ==
        "NoSuchKey");
  CHECK(ReadAll(t, FindReadableObject(t.db(), svc, "interview-audio", "moved/copy.webm").object) ==
        "new bytes");

  auto removed = RemoveObjects(t.db(), svc, "interview-audio", {"k.webm", "nope", "k.webm"});
  CHECK(removed.size() == 1);
  CHECK(Count(t, "storage_objects") == 1);
  CHECK(Count(t, "storage_contents") == 1);
  CHECK(Count(t, "storage_object_chunks") == 1);
}

TEST_CASE("files/store: users write only under <uid>/ and refusals store nothing") {
  TestDb t;
  const std::string alice = t.AddUser("alice@example.com");
  const std::string bob = t.AddUser("bob@example.com");
  auto as_alice = testing::User(alice);
  Put(t, as_alice, "interview-audio", alice + "/q1.webm", "mine");
  CHECK(ErrorCode([&] { Put(t, as_alice, "interview-audio", bob + "/q1.webm", "x"); }) ==
        "AccessDenied");
  CHECK(ErrorCode([&] { Put(t, as_alice, "interview-audio", "root.webm", "x"); }) ==
        "AccessDenied");
  CHECK(ErrorCode([&] { Put(t, testing::Anon(), "interview-audio", "a", "x"); }) ==
        "AccessDenied");
  CHECK(ErrorCode([&] { Put(t, as_alice, "nosuch", alice + "/x", "x"); }) == "NoSuchBucket");
  CHECK(ErrorCode([&] {
          FindReadableObject(t.db(), testing::User(bob), "interview-audio", alice + "/q1.webm");
        }) == "NoSuchKey");
  CHECK(ErrorCode([&] {
          FindReadableObject(t.db(), testing::Anon(), "interview-audio", alice + "/q1.webm");
        }) == "NoSuchBucket");
  // Bob's delete of Alice's file is silently skipped, as Supabase does.
  CHECK(RemoveObjects(t.db(), testing::User(bob), "interview-audio", {alice + "/q1.webm"})
            .empty());
  CHECK(Count(t, "storage_objects") == 1);
  CHECK(Count(t, "storage_contents") == 1);
}

TEST_CASE("files/store: deleting the auth user deletes their objects and bytes") {
  TestDb t;
  const std::string alice = t.AddUser("alice@example.com");
  Put(t, testing::User(alice), "interview-audio", alice + "/q1.webm",
      RandomBytes(kChunkSize + 1, 3));
  Put(t, testing::Service(), "interview-audio", "service.webm", "kept");
  auto row = FindReadableObject(t.db(), testing::Service(), "interview-audio",
                                alice + "/q1.webm");
  CHECK(row.object.owner == alice);
  CHECK(Count(t, "storage_object_chunks") == 3);
  t.Exec("DELETE FROM auth_users WHERE email = 'alice@example.com'");
  CHECK(Count(t, "storage_objects") == 1);
  CHECK(Count(t, "storage_contents") == 1);
  CHECK(Count(t, "storage_object_chunks") == 1);
}

TEST_CASE("files/store: buckets - create, limits, empty, delete") {
  TestDb t;
  auto svc = testing::Service();
  BucketSpec spec = ParseBucketSpec(
      nlohmann::json::parse(R"({"id":"small","public":true,"file_size_limit":"1KB"})"), "", true);
  CreateBucket(t.db(), svc, spec, kGlobal);
  CHECK(ErrorCode([&] { CreateBucket(t.db(), svc, spec, kGlobal); }) == "BucketAlreadyExists");
  CHECK(ErrorCode([&] { CreateBucket(t.db(), testing::Anon(), spec, kGlobal); }) ==
        "AccessDenied");
  BucketSpec huge = ParseBucketSpec(
      nlohmann::json::parse(R"({"id":"huge","file_size_limit":"1GB"})"), "", true);
  CHECK(ErrorCode([&] { CreateBucket(t.db(), svc, huge, kGlobal); }) == "EntityTooLarge");

  CHECK(ErrorCode([&] { Put(t, svc, "small", "big.bin", std::string(1001, 'x')); }) ==
        "EntityTooLarge");
  CHECK(Count(t, "storage_contents") == 0);
  Put(t, svc, "small", "ok.bin", std::string(1000, 'x'));

  CHECK(ErrorCode([&] { DeleteBucket(t.db(), svc, "small"); }) == "ResourceNotEmpty");
  EmptyBucket(t.db(), svc, "small");
  CHECK(Count(t, "storage_object_chunks") == 0);
  DeleteBucket(t.db(), svc, "small");
  CHECK(ErrorCode([&] { GetBucket(t.db(), svc, "small"); }) == "NoSuchBucket");

  // interview-audio exists from the first start; users see it and public buckets only.
  auto alice = testing::User(t.AddUser("alice@example.com"));
  CHECK(GetBucket(t.db(), alice, "interview-audio").is_public == false);
  CHECK(ListBuckets(t.db(), testing::Anon(), {}).empty());
  CHECK(ListBuckets(t.db(), alice, {}).size() == 1);
}

}  // namespace
}  // namespace ib::files
