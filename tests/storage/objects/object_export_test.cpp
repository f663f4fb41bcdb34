// Storage export: the bytes under storage/<bucket>/<key> and a manifest, nothing outside
// OUT_DIR/storage whatever the keys, and an earlier export left whole when one is refused.
#include "storage/objects/object_export.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "storage/error.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_db.h"

namespace ib::storage::objects {
namespace {

using testing::TestDb;

std::string FileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

// An object whose bytes are the hex literal `hex`, in one chunk per element of `chunks`.
void AddObject(TestDb& t, const std::string& bucket, const std::string& key,
               const std::vector<std::string>& chunks, int64_t size,
               const std::string& type = "application/octet-stream") {
  static int next = 1;
  const std::string id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + next);
  const std::string content = std::to_string(next++);
  t.Exec(
      "INSERT INTO storage_objects (id, bucket_id, name, size, mimetype, cache_control, "
      "etag, user_metadata) VALUES ('" +
      id + "', '" + bucket + "', '" + key + "', " + std::to_string(size) + ", '" + type +
      "', 'max-age=60', '\"e\"', '{\"lang\":\"en\"}')");
  t.Exec("INSERT INTO storage_contents (id, object_id, size) VALUES (" + content + ", '" + id +
         "', " + std::to_string(size) + ")");
  for (size_t i = 0; i < chunks.size(); ++i) {
    t.Exec("INSERT INTO storage_object_chunks VALUES (" + content + ", " + std::to_string(i) +
           ", X'" + chunks[i] + "')");
  }
}

TEST_CASE("objects/export: bytes under bucket/key and a manifest with type, size and sha256") {
  TestDb t;
  testing::ScratchDir out;
  t.Exec(
      "INSERT INTO storage_buckets (id, name, public, file_size_limit) VALUES "
      "('media', 'media', 1, 1000)");
  AddObject(t, "interview-audio", "u1/s1/answer.webm", {"00FF0A", "0D0000"}, 6, "audio/webm");
  AddObject(t, "media", "abc.txt", {"616263"}, 3, "text/plain");
  const ObjectExportReport report = ExportObjects(t.conn(), out.path());
  CHECK(report.buckets == 2);
  CHECK(report.objects == 2);
  CHECK(report.bytes == 9);
  const std::string root = out.path() + "/storage";
  CHECK(FileText(root + "/interview-audio/u1/s1/answer.webm") ==
        std::string("\x00\xFF\x0A\x0D\x00\x00", 6));
  CHECK(FileText(root + "/media/abc.txt") == "abc");

  const auto manifest = nlohmann::json::parse(FileText(root + "/manifest.json"));
  CHECK(manifest["version"] == 1);
  REQUIRE(manifest["buckets"].size() == 2);
  CHECK(manifest["buckets"][1] == nlohmann::json::parse(R"({"id":"media","name":"media",
      "public":true,"file_size_limit":1000,"allowed_mime_types":null})"));
  REQUIRE(manifest["objects"].size() == 2);
  const auto& audio = manifest["objects"][0];
  CHECK(audio["bucket"] == "interview-audio");
  CHECK(audio["key"] == "u1/s1/answer.webm");
  CHECK(audio["file"] == "storage/interview-audio/u1/s1/answer.webm");
  CHECK(audio["content_type"] == "audio/webm");
  CHECK(audio["cache_control"] == "max-age=60");
  CHECK(audio["size"] == 6);
  CHECK(audio["metadata"] == nlohmann::json{{"lang", "en"}});
  CHECK(audio["owner"].is_null());
  CHECK(manifest["objects"][1]["sha256"] ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Nothing else beside the export: the staging directory is gone.
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(out.path())) {
    CAPTURE(e.path());
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("objects/export: a key that could leave the directory is refused, earlier export kept") {
  testing::ScratchDir out;
  {
    TestDb first;
    AddObject(first, "interview-audio", "kept.bin", {"01"}, 1);
    ExportObjects(first.conn(), out.path());
  }
  const std::string kept = out.path() + "/storage/interview-audio/kept.bin";
  REQUIRE(FileText(kept) == "\x01");
  for (const char* key : {"../../escape.bin", "a/../../escape.bin", "a/./b.bin", "..", "."}) {
    CAPTURE(key);
    TestDb t;
    AddObject(t, "interview-audio", "fine.bin", {"02"}, 1);
    AddObject(t, "interview-audio", key, {"03"}, 1);
    CHECK_THROWS_WITH(ExportObjects(t.conn(), out.path()),
                      doctest::Contains("not a plain relative path"));
    CHECK(FileText(kept) == "\x01");
    CHECK_FALSE(std::filesystem::exists(out.path() + "/storage/interview-audio/fine.bin"));
    CHECK_FALSE(std::filesystem::exists(out.path() + "/escape.bin"));
    CHECK_FALSE(std::filesystem::exists(out.path() + "/../escape.bin"));
  }
  {
    TestDb t;  // "a" is a file and a folder at once
    AddObject(t, "interview-audio", "a", {"04"}, 1);
    AddObject(t, "interview-audio", "a/b", {"05"}, 1);
    CHECK_THROWS_WITH(ExportObjects(t.conn(), out.path()), doctest::Contains("'interview-audio/a"));
    CHECK(FileText(kept) == "\x01");
  }
  {
    TestDb t;  // bytes missing: refused rather than exported short
    AddObject(t, "interview-audio", "short.bin", {"06"}, 2);
    CHECK_THROWS_WITH(ExportObjects(t.conn(), out.path()), doctest::Contains("1 bytes stored"));
  }
}

TEST_CASE("objects/export: which keys are plain relative paths") {
  for (const char* good : {"a", "a/b/c.webm", "with space/é.txt", "..a/b..", ".hidden"}) {
    CAPTURE(good);
    CHECK(IsExportableKey(good));
  }
  for (const char* bad : {"", "/a", "a/", "a//b", "./a", "a/.", "..", "a/../b", "a\\b"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsExportableKey(bad));
  }
  CHECK_FALSE(IsExportableKey(std::string_view("a\0b", 3)));
}

}  // namespace
}  // namespace ib::storage::objects
