// Object bytes in chunks: streamed in one unit of work per chunk, read back a chunk at most
// per call, and purged when an upload is refused, abandoned or left behind by a crash.
#include "storage/objects/content_store.h"

#include <doctest/doctest.h>

#include <string>

#include "storage/error.h"
#include "storage/unit_of_work.h"
#include "tests/support/test_checks.h"
#include "tests/support/test_db.h"

namespace ib::storage::objects {
namespace {

using testing::TestDb;

constexpr int64_t kGlobal = 52428800;
const RequestClock kClock{1767225600000000};  // 2026-01-01T00:00:00Z

using testing::RandomBytes;

// Streams `bytes` in odd-sized pieces, as a socket would.
StagedContent Stage(ContentWriter& writer, const std::string& bytes) {
  for (size_t at = 0; at < bytes.size(); at += 7777) {
    writer.Append(bytes.data() + at, std::min<size_t>(7777, bytes.size() - at));
  }
  return writer.Finish();
}

TEST_CASE("objects/content: chunked round trip, slices never cross a chunk") {
  TestDb t;
  const std::string bytes = RandomBytes(3 * kChunkSize + 12345, 1);
  ContentWriter writer(t.db(), testing::Service(), kClock, kGlobal);
  StagedContent staged = Stage(writer, bytes);
  writer.Keep();
  CHECK(staged.size == static_cast<int64_t>(bytes.size()));
  CHECK(staged.etag.size() == 34);  // quoted md5 hex
  CHECK(t.Count("storage_object_chunks") == 4);
  std::string all;
  while (all.size() < bytes.size()) {
    std::string piece = ReadContentSlice(t.db(), kClock, staged.content_id,
                                         static_cast<int64_t>(all.size()), 100000);
    REQUIRE_FALSE(piece.empty());
    CHECK(piece.size() <= kChunkSize);
    all += piece;
  }
  CHECK(all == bytes);
  // A slice starting near a chunk's end stops at the boundary.
  CHECK(ReadContentSlice(t.db(), kClock, staged.content_id, kChunkSize - 10, 100) ==
        bytes.substr(kChunkSize - 10, 10));
  CHECK(ReadContentSlice(t.db(), kClock, staged.content_id, 5000, 10) == bytes.substr(5000, 10));
  CHECK(ReadContentSlice(t.db(), kClock, staged.content_id, static_cast<int64_t>(bytes.size()), 10)
            .empty());
}

TEST_CASE("objects/content: too large or abandoned uploads leave nothing behind") {
  TestDb t;
  {
    ContentWriter writer(t.db(), testing::Service(), kClock, 2 * kChunkSize);
    std::string chunk(kChunkSize, 'x');
    writer.Append(chunk.data(), chunk.size());
    writer.Append(chunk.data(), chunk.size());
    CHECK(t.Count("storage_object_chunks") == 2);
    writer.Append("y", 1);  // one byte over
    CHECK(writer.too_large());
    CHECK(t.Count("storage_object_chunks") == 0);
    CHECK(t.Count("storage_contents") == 0);
    writer.Append(chunk.data(), chunk.size());  // still draining: dropped
    CHECK(writer.size() == 3 * static_cast<int64_t>(kChunkSize) + 1);
  }
  {
    ContentWriter writer(t.db(), testing::Service(), kClock, kGlobal);
    Stage(writer, std::string(kChunkSize + 5, 'x'));
    CHECK(t.Count("storage_contents") == 1);
  }  // never published: discarded
  CHECK(t.Count("storage_contents") == 0);
  CHECK(t.Count("storage_object_chunks") == 0);
}

TEST_CASE("objects/content: attaching replaces an object's bytes, detached bytes are purged") {
  TestDb t;
  t.Exec(
      "INSERT INTO storage_objects (id, bucket_id, name, size, mimetype, cache_control, etag) "
      "VALUES ('obj', 'interview-audio', 'k', 1, 'x/y', 'no-cache', '\"\"')");
  auto stage = [&](const std::string& bytes) {
    ContentWriter writer(t.db(), testing::Service(), kClock, kGlobal);
    StagedContent staged = Stage(writer, bytes);
    writer.Keep();
    return staged;
  };
  StagedContent first = stage(RandomBytes(2 * kChunkSize, 2));
  StagedContent second = stage("new");
  auto attach = [&](const StagedContent& c) {
    return t.db().Write(testing::Service(), kClock, [&](WriteScope& scope) {
      return AttachContent(scope.conn(), c.content_id, "obj");
    });
  };
  CHECK(attach(first).empty());
  std::vector<int64_t> replaced = attach(second);
  CHECK(replaced == std::vector<int64_t>{first.content_id});
  PurgeContents(t.db(), kClock, replaced);
  CHECK(t.Count("storage_contents") == 1);
  CHECK(t.Count("storage_object_chunks") == 1);
  // An attached content is never purged, whatever the caller asks.
  PurgeContents(t.db(), kClock, {second.content_id});
  CHECK(t.Count("storage_object_chunks") == 1);
}

TEST_CASE("objects/content: a staged copy duplicates every chunk, batch by batch") {
  TestDb t;
  const std::string bytes = RandomBytes(9 * kChunkSize + 77, 4);  // ten chunks: three batches
  ContentWriter writer(t.db(), testing::Service(), kClock, kGlobal);
  StagedContent source = Stage(writer, bytes);
  writer.Keep();
  const int64_t copy = StageCopy(t.db(), testing::Service(), kClock, source.content_id);
  CHECK(copy != source.content_id);
  CHECK(t.Count("storage_object_chunks") == 20);
  std::string all;
  while (all.size() < bytes.size()) {
    std::string piece =
        ReadContentSlice(t.db(), kClock, copy, static_cast<int64_t>(all.size()), kChunkSize);
    REQUIRE_FALSE(piece.empty());
    all += piece;
  }
  CHECK(all == bytes);
  // A copy of a missing content fails and leaves nothing staged.
  CHECK_THROWS_AS(StageCopy(t.db(), testing::Service(), kClock, 987654), Error);
  CHECK(t.Count("storage_contents") == 2);
}

TEST_CASE("objects/content: abandoned staged contents are removed at start") {
  TestDb t;
  t.Exec("INSERT INTO storage_contents (object_id) VALUES (NULL)");
  t.Exec(
      "INSERT INTO storage_object_chunks (content_id, idx, data) VALUES "
      "(last_insert_rowid(), 0, x'00')");
  RemoveAbandonedUploads(t.db(), kClock);
  CHECK(t.Count("storage_contents") == 0);
  CHECK(t.Count("storage_object_chunks") == 0);
}

}  // namespace
}  // namespace ib::storage::objects
