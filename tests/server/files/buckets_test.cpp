#include "server/files/buckets.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "server/files/objects.h"
#include "storage/error.h"

namespace ib::files {
namespace {

using nlohmann::json;

TEST_CASE("files/buckets: size limits as numbers or strings with units") {
  struct Case {
    std::string text;
    std::optional<int64_t> bytes;
  };
  // Decimal units, as supabase/storage's parseFileSizeToBytes.
  const std::vector<Case> cases = {
      {"1MB", 1000000},
      {"1mb", 1000000},
      {"1.5MB", 1500000},
      {"100KB", 100000},
      {"1GB", 1000000000},
      {"10B", 10},
      {"52428800", 52428800},
      {" 2 MB ", 2000000},
      {"0", 0},
      {"", std::nullopt},
      {"MB", std::nullopt},
      {"1TB", std::nullopt},
      {"-1MB", std::nullopt},
      {"1.2.3MB", std::nullopt},
      {".5MB", std::nullopt},
      {"1 M B", std::nullopt},
      {"99999999999GB", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(ParseByteSize(c.text) == c.bytes);
  }
  CHECK(ParseSizeLimitJson(json(1024)) == 1024);
  CHECK(ParseSizeLimitJson(json("1MB")) == 1000000);
  CHECK(ParseSizeLimitJson(json(nullptr)) == std::nullopt);
  CHECK_THROWS_AS(ParseSizeLimitJson(json(-5)), storage::Error);
  CHECK_THROWS_AS(ParseSizeLimitJson(json("lots")), storage::Error);
  CHECK_THROWS_AS(ParseSizeLimitJson(json(true)), storage::Error);
}

TEST_CASE("files/buckets: effective size limit never exceeds the global one") {
  BucketRow b;
  constexpr int64_t kGlobal = 52428800;
  CHECK(EffectiveSizeLimit(b, kGlobal) == kGlobal);
  b.file_size_limit = 1000;
  CHECK(EffectiveSizeLimit(b, kGlobal) == 1000);
  b.file_size_limit = kGlobal * 2;
  CHECK(EffectiveSizeLimit(b, kGlobal) == kGlobal);
  b.file_size_limit = 0;  // no limit of its own
  CHECK(EffectiveSizeLimit(b, kGlobal) == kGlobal);
}

TEST_CASE("files/buckets: names") {
  for (const std::string& ok :
       std::vector<std::string>{"b", "interview-audio", "my_bucket.v2", "a b", "bucket!.*'()+,?-",
                                std::string(100, 'a')}) {
    CAPTURE(ok);
    CHECK(IsValidBucketName(ok));
  }
  for (const std::string& bad :
       std::vector<std::string>{"", "a/b", " lead", "trail ", std::string(101, 'a'), "tab\tname",
                                "new\nline", "\xe6\x96\x87\xe4\xbb\xb6"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsValidBucketName(bad));
  }
}

TEST_CASE("files/buckets: create and update bodies") {
  BucketSpec spec =
      ParseBucketSpec(json::parse(R"({"id":"b","name":"b","public":true,"file_size_limit":"1MB",
                      "allowed_mime_types":["image/*","audio/webm"]})"),
                      "", true);
  CHECK(spec.id == "b");
  CHECK(spec.values.is_public == true);
  REQUIRE(spec.values.file_size_limit.has_value());
  CHECK(*spec.values.file_size_limit == 1000000);
  REQUIRE(spec.values.allowed_mime_types.has_value());
  CHECK(spec.values.allowed_mime_types->value().size() == 2);

  BucketSpec by_name = ParseBucketSpec(json::parse(R"({"name":"only-name"})"), "", true);
  CHECK(by_name.id == "only-name");
  CHECK_FALSE(by_name.values.is_public.has_value());
  CHECK_FALSE(by_name.values.file_size_limit.has_value());

  BucketSpec update = ParseBucketSpec(json::parse(R"({"file_size_limit":null})"), "b", false);
  CHECK(update.id == "b");
  REQUIRE(update.values.file_size_limit.has_value());
  CHECK_FALSE(update.values.file_size_limit->has_value());  // cleared

  auto code = [](const json& body) {
    try {
      ParseBucketSpec(body, "", true);
    } catch (const storage::Error& e) {
      return e.code();
    }
    return std::string("ok");
  };
  CHECK(code(json::parse(R"({"id":"a/b"})")) == "InvalidBucketName");
  CHECK(code(json::parse(R"({"id":" x"})")) == "InvalidBucketName");
  CHECK(code(json::parse(R"({})")) == "MissingParameter");
  CHECK(code(json::parse(R"({"id":"b","public":"yes"})")) == "InvalidRequest");
  CHECK(code(json::parse(R"({"id":"b","allowed_mime_types":["not a type"]})")) ==
        "InvalidMimeType");
  CHECK(code(json::parse(R"({"id":"b","allowed_mime_types":"image/png"})")) == "InvalidRequest");
  CHECK(code(json::parse("[1]")) == "InvalidRequest");
}

TEST_CASE("files/buckets: allowed mime types") {
  const std::optional<std::vector<std::string>> none;
  const std::optional<std::vector<std::string>> some =
      std::vector<std::string>{"image/*", "audio/webm"};
  CHECK(MimeTypeAllowed(none, "anything/at-all"));
  CHECK(MimeTypeAllowed(some, "image/png"));
  CHECK(MimeTypeAllowed(some, "IMAGE/PNG"));
  CHECK(MimeTypeAllowed(some, "audio/webm;codecs=opus"));
  CHECK_FALSE(MimeTypeAllowed(some, "audio/mpeg"));
  CHECK_FALSE(MimeTypeAllowed(some, "text/plain;charset=UTF-8"));
  CHECK_FALSE(MimeTypeAllowed(some, "imagex/png"));
}

TEST_CASE("files/objects: key validation") {
  for (const std::string& ok :
       std::vector<std::string>{"a", "dir/a b.txt", "u/1/2/3.webm", "caf\xc3\xa9.txt", "x?y=z&w",
                                std::string(1024, 'k')}) {
    CAPTURE(ok);
    CHECK(IsValidObjectKey(ok));
  }
  for (const std::string& bad : std::vector<std::string>{
           "", "/lead", "trail/", "a//b", std::string(1025, 'k'), std::string("nul\0x", 5),
           "tab\tkey", "bad\xff", "\xc3", "del\x7f"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsValidObjectKey(bad));
  }
}

TEST_CASE("files/objects: Last-Modified dates") {
  CHECK(HttpDate("1994-11-15T08:12:31.000000+00:00") == "Tue, 15 Nov 1994 08:12:31 GMT");
  CHECK(HttpDate("2024-02-29T23:59:59.5+00:00") == "Thu, 29 Feb 2024 23:59:59 GMT");
  CHECK(HttpDate("garbage").empty());
}

}  // namespace
}  // namespace ib::files
