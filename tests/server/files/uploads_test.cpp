// In-process scenarios for the operations of /storage/v1 on a fresh in-memory database:
// the single publishing unit of work, overwrite, copy, move, remove, the guards deciding
// before any duplicate can answer, bucket management and the auth-user cascade.
#include "server/files/uploads.h"

#include <doctest/doctest.h>

#include <string>

#include "server/files/buckets.h"
#include "server/files/objects.h"
#include "storage/error.h"
#include "storage/objects/content_store.h"
#include "tests/support/test_checks.h"
#include "tests/support/test_db.h"

namespace ib::files {
namespace {

using storage::objects::kChunkSize;
using testing::TestDb;

constexpr int64_t kGlobal = 52428800;
const storage::RequestClock kClock{1767225600000000};  // 2026-01-01T00:00:00Z

using testing::RandomBytes;

// Streams `bytes` in odd-sized pieces (as a socket would) and publishes them.
PublishedObject Put(TestDb& t, const storage::Principal& who, const std::string& bucket,
                    const std::string& key, const std::string& bytes, bool upsert = false) {
  UploadTarget target{bucket, key, upsert};
  UploadLimits limits = PrepareUpload(t.db(), who, kClock, target, kGlobal);
  storage::objects::ContentWriter writer(t.db(), who, kClock, limits.max_size);
  for (size_t at = 0; at < bytes.size(); at += 7777) {
    writer.Append(bytes.data() + at, std::min<size_t>(7777, bytes.size() - at));
  }
  UploadAttributes attributes;
  attributes.mimetype = "audio/webm";
  auto published = PublishUpload(t.db(), who, kClock, target, attributes, writer.Finish(), kGlobal);
  writer.Keep();
  return published;
}

std::string ReadAll(TestDb& t, const ObjectRow& row) {
  std::string out;
  while (static_cast<int64_t>(out.size()) < row.size) {
    std::string piece = storage::objects::ReadContentSlice(
        t.db(), kClock, row.content_id, static_cast<int64_t>(out.size()), 100000);
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

TEST_CASE("files/uploads: overwrite, duplicates, copy and remove") {
  TestDb t;
  auto svc = testing::Service();
  auto first = Put(t, svc, "interview-audio", "k.webm", RandomBytes(kChunkSize * 2, 2));
  CHECK(ErrorCode([&] { Put(t, svc, "interview-audio", "k.webm", "x"); }) == "KeyAlreadyExists");
  auto second = Put(t, svc, "interview-audio", "k.webm", "new bytes", /*upsert=*/true);
  CHECK(second.id == first.id);                  // upsert keeps the id
  CHECK(t.Count("storage_object_chunks") == 1);  // the old two chunks purged
  CHECK(t.Count("storage_contents") == 1);

  MoveRequest copy{"interview-audio", "k.webm", "interview-audio", "copy.webm"};
  std::string copy_id = CopyObject(t.db(), svc, kClock, copy, kGlobal);
  CHECK(copy_id != first.id);
  auto copied = FindReadableObject(t.db(), svc, kClock, "interview-audio", "copy.webm");
  CHECK(ReadAll(t, copied.object) == "new bytes");
  CHECK(ErrorCode([&] { CopyObject(t.db(), svc, kClock, copy, kGlobal); }) == "KeyAlreadyExists");

  MoveRequest move{"interview-audio", "copy.webm", "interview-audio", "moved/copy.webm"};
  MoveObject(t.db(), svc, kClock, move, kGlobal);
  CHECK(ErrorCode([&] {
          FindReadableObject(t.db(), svc, kClock, "interview-audio", "copy.webm");
        }) == "NoSuchKey");
  CHECK(ReadAll(
            t,
            FindReadableObject(t.db(), svc, kClock, "interview-audio", "moved/copy.webm").object) ==
        "new bytes");

  auto removed =
      RemoveObjects(t.db(), svc, kClock, "interview-audio", {"k.webm", "nope", "k.webm"});
  CHECK(removed.size() == 1);
  CHECK(t.Count("storage_objects") == 1);
  CHECK(t.Count("storage_contents") == 1);
  CHECK(t.Count("storage_object_chunks") == 1);
}

TEST_CASE("files/uploads: users write only under <uid>/ and refusals store nothing") {
  TestDb t;
  const std::string alice = t.AddUser("alice@example.com");
  const std::string bob = t.AddUser("bob@example.com");
  auto as_alice = testing::User(alice);
  Put(t, as_alice, "interview-audio", alice + "/q1.webm", "mine");
  CHECK(ErrorCode([&] { Put(t, as_alice, "interview-audio", bob + "/q1.webm", "x"); }) ==
        "AccessDenied");
  CHECK(ErrorCode([&] { Put(t, as_alice, "interview-audio", "root.webm", "x"); }) ==
        "AccessDenied");
  CHECK(ErrorCode([&] { Put(t, testing::Anon(), "interview-audio", "a", "x"); }) == "AccessDenied");
  CHECK(ErrorCode([&] { Put(t, as_alice, "nosuch", alice + "/x", "x"); }) == "NoSuchBucket");
  CHECK(ErrorCode([&] {
          FindReadableObject(t.db(), testing::User(bob), kClock, "interview-audio",
                             alice + "/q1.webm");
        }) == "NoSuchKey");
  CHECK(ErrorCode([&] {
          FindReadableObject(t.db(), testing::Anon(), kClock, "interview-audio",
                             alice + "/q1.webm");
        }) == "NoSuchBucket");
  // Bob's delete of Alice's file is silently skipped, as Supabase does.
  CHECK(RemoveObjects(t.db(), testing::User(bob), kClock, "interview-audio", {alice + "/q1.webm"})
            .empty());
  CHECK(t.Count("storage_objects") == 1);
  CHECK(t.Count("storage_contents") == 1);
}

TEST_CASE("files/uploads: deleting the auth user deletes their objects and bytes") {
  TestDb t;
  const std::string alice = t.AddUser("alice@example.com");
  Put(t, testing::User(alice), "interview-audio", alice + "/q1.webm",
      RandomBytes(kChunkSize + 1, 3));
  Put(t, testing::Service(), "interview-audio", "service.webm", "kept");
  auto row =
      FindReadableObject(t.db(), testing::Service(), kClock, "interview-audio", alice + "/q1.webm");
  CHECK(row.object.owner == alice);
  CHECK(t.Count("storage_object_chunks") == 3);
  t.Exec("DELETE FROM auth_users WHERE email = 'alice@example.com'");
  CHECK(t.Count("storage_objects") == 1);
  CHECK(t.Count("storage_contents") == 1);
  CHECK(t.Count("storage_object_chunks") == 1);
}

TEST_CASE("files/uploads: buckets - create, limits, empty, delete") {
  TestDb t;
  auto svc = testing::Service();
  BucketSpec spec = ParseBucketSpec(
      nlohmann::json::parse(R"({"id":"small","public":true,"file_size_limit":"1KB"})"), "", true);
  CreateBucket(t.db(), svc, kClock, spec, kGlobal);
  CHECK(ErrorCode([&] { CreateBucket(t.db(), svc, kClock, spec, kGlobal); }) ==
        "BucketAlreadyExists");
  CHECK(ErrorCode([&] { CreateBucket(t.db(), testing::Anon(), kClock, spec, kGlobal); }) ==
        "AccessDenied");
  BucketSpec huge =
      ParseBucketSpec(nlohmann::json::parse(R"({"id":"huge","file_size_limit":"1GB"})"), "", true);
  CHECK(ErrorCode([&] { CreateBucket(t.db(), svc, kClock, huge, kGlobal); }) == "EntityTooLarge");

  CHECK(ErrorCode([&] { Put(t, svc, "small", "big.bin", std::string(1001, 'x')); }) ==
        "EntityTooLarge");
  CHECK(t.Count("storage_contents") == 0);
  Put(t, svc, "small", "ok.bin", std::string(1000, 'x'));

  CHECK(ErrorCode([&] { DeleteBucket(t.db(), svc, kClock, "small"); }) == "ResourceNotEmpty");
  EmptyBucket(t.db(), svc, kClock, "small");
  CHECK(t.Count("storage_object_chunks") == 0);
  DeleteBucket(t.db(), svc, kClock, "small");
  CHECK(ErrorCode([&] { GetBucket(t.db(), svc, kClock, "small"); }) == "NoSuchBucket");

  // interview-audio exists from the first start; users see it and public buckets only.
  auto alice = testing::User(t.AddUser("alice@example.com"));
  CHECK(GetBucket(t.db(), alice, kClock, "interview-audio").is_public == false);
  CHECK(ListBuckets(t.db(), testing::Anon(), kClock, {}).empty());
  CHECK(ListBuckets(t.db(), alice, kClock, {}).size() == 1);
}

TEST_CASE("files/uploads: a key the caller may not write is 403 before any 409") {
  TestDb t;
  const std::string alice = t.AddUser("alice@example.com");
  const std::string bob = t.AddUser("bob@example.com");
  auto as_alice = testing::User(alice);
  auto as_bob = testing::User(bob);
  Put(t, as_bob, "interview-audio", bob + "/taken.webm", "bob's");
  Put(t, as_alice, "interview-audio", alice + "/mine.webm", "alice's");
  // Upload without and with x-upsert onto Bob's existing key, and onto a free one of his.
  for (bool upsert : {false, true}) {
    CAPTURE(upsert);
    CHECK(ErrorCode([&] {
            Put(t, as_alice, "interview-audio", bob + "/taken.webm", "x", upsert);
          }) == "AccessDenied");
    CHECK(ErrorCode([&] {
            Put(t, as_alice, "interview-audio", bob + "/free.webm", "x", upsert);
          }) == "AccessDenied");
  }
  // Copy and move of her own object onto Bob's existing key: refused as a write, not a duplicate.
  MoveRequest onto_bob{"interview-audio", alice + "/mine.webm", "interview-audio",
                       bob + "/taken.webm"};
  CHECK(ErrorCode([&] { CopyObject(t.db(), as_alice, kClock, onto_bob, kGlobal); }) ==
        "AccessDenied");
  CHECK(ErrorCode([&] { MoveObject(t.db(), as_alice, kClock, onto_bob, kGlobal); }) ==
        "AccessDenied");
  // Her own taken key still answers the duplicate.
  CHECK(ErrorCode([&] { Put(t, as_alice, "interview-audio", alice + "/mine.webm", "x"); }) ==
        "KeyAlreadyExists");
  MoveRequest onto_own{"interview-audio", alice + "/mine.webm", "interview-audio",
                       alice + "/mine.webm"};
  CHECK(ErrorCode([&] { CopyObject(t.db(), as_alice, kClock, onto_own, kGlobal); }) ==
        "KeyAlreadyExists");
  // Nothing of Bob's changed, nothing was staged and left behind.
  auto bobs = FindReadableObject(t.db(), as_bob, kClock, "interview-audio", bob + "/taken.webm");
  CHECK(ReadAll(t, bobs.object) == "bob's");
  CHECK(t.Count("storage_objects") == 2);
  CHECK(t.Count("storage_contents") == 2);
}

}  // namespace
}  // namespace ib::files
