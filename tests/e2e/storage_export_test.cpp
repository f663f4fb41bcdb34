// Storage export and push-storage with the real binaries: objects of one interviewbase (binary
// bytes, nested keys, an audio type, metadata, a second bucket) exported by `export postgres`,
// then pushed into a second running interviewbase, where each downloads byte for byte; a
// refused key, a tampered export and a bad command line stop the push with nothing uploaded.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "server/auth/jwt.h"
#include "tests/e2e/support/storage_client.h"
#include "tests/support/scratch_dir.h"

using ib::e2e::RunBinary;
using ib::e2e::Storage;
using nlohmann::json;

namespace {

struct Sample {
  std::string bucket, key, type, bytes;
};

std::vector<Sample> Samples() {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  return {{ib::e2e::kAudioBucket, "u1/s1/answer.webm", "audio/webm",
           every_byte + ib::e2e::RandomBytes(600 * 1024, 7)},  // more than two chunks
          {ib::e2e::kAudioBucket, "u1/deep/a/b/c.bin", "application/octet-stream", every_byte},
          {"media", "img/logo one.png", "image/png", ib::e2e::RandomBytes(1000, 3)}};
}

// `interviewbase export postgres` of `s`'s database while it serves.
void Export(const Storage& s, const std::string& out_dir) {
  auto exported = RunBinary({"export", "postgres", out_dir, "--db", s.server.db_path()});
  REQUIRE_MESSAGE(exported.status == 0, exported.output);
  CHECK(exported.output.find("3 stored objects") != std::string::npos);
}

// The key goes in the environment, as the README shows (a flag would show it in `ps`).
ib::e2e::CommandResult Push(const std::string& dir, const Storage& to, const std::string& key) {
  return RunBinary(
      {"push-storage", dir, "--url", "http://127.0.0.1:" + std::to_string(to.server.port())},
      {"IB_SERVICE_KEY=" + key});
}

}  // namespace

TEST_CASE("storage export: push-storage into a second interviewbase, every object byte for byte") {
  ib::testing::ScratchDir out;
  const std::vector<Sample> samples = Samples();
  {
    Storage from;
    from.MakeBucket("media", true, {{"file_size_limit", 5000}});
    for (const Sample& s : samples) {
      auto r = from.Upload(from.S(), s.bucket, ib::e2e::EncodeUri(s.key), s.bytes, s.type,
                           {{"x-metadata", "eyJsYW5nIjoiZW4ifQ=="}});  // {"lang":"en"}
      REQUIRE_MESSAGE(r.status == 200, r.body);
    }
    Export(from, out.path());
  }
  Storage to;
  const int64_t rows_before = ib::e2e::StoredRows(to.server);

  SUBCASE("a refused key uploads nothing") {
    const std::string other_secret_key = ib::auth::SignHs256(
        {{"role", "service_role"}, {"exp", 4102444800}}, "another-secret-0123456789abcdef0123");
    for (const std::string& key : {std::string("not-a-key"), other_secret_key, to.A()}) {
      CAPTURE(key);
      auto refused = Push(out.path(), to, key);
      CHECK(refused.status == 1);
      CHECK_MESSAGE(refused.output.find("the service key was refused") != std::string::npos,
                    refused.output);
      CHECK(ib::e2e::StoredRows(to.server) == rows_before);
      CHECK(to.Call(to.S(), "GET", "/bucket/media").status != 200);
    }
  }
  SUBCASE("a tampered export uploads nothing") {
    const std::string file = out.path() + "/storage/media/img/logo one.png";
    std::string bytes = samples[2].bytes;
    bytes[500] = static_cast<char>(bytes[500] ^ 1);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
    auto refused = Push(out.path(), to, to.S());
    CHECK(refused.status == 1);
    CHECK_MESSAGE(refused.output.find("does not match its sha256") != std::string::npos,
                  refused.output);
    CHECK(ib::e2e::StoredRows(to.server) == rows_before);
  }
  SUBCASE("the service key pushes every object, twice without harm") {
    for (int round = 0; round < 2; ++round) {
      auto pushed = Push(out.path(), to, to.S());
      REQUIRE_MESSAGE(pushed.status == 0, pushed.output);
      CHECK(pushed.output.find("3 objects") != std::string::npos);
    }
    for (const Sample& s : samples) {
      CAPTURE(s.key);
      auto got = to.Download(to.S(), s.bucket, ib::e2e::EncodeUri(s.key));
      REQUIRE(got.status == 200);
      CHECK(got.body == s.bytes);
      CHECK(got.header("Content-Type") == s.type);
      auto info =
          to.Call(to.S(), "GET", "/object/info/" + s.bucket + "/" + ib::e2e::EncodeUri(s.key));
      REQUIRE(info.status == 200);
      CHECK(info.json()["metadata"] == json{{"lang", "en"}});
    }
    auto media = to.Call(to.S(), "GET", "/bucket/media");
    REQUIRE(media.status == 200);
    CHECK(media.json()["public"] == true);
    CHECK(media.json()["file_size_limit"] == 5000);
  }
}

TEST_CASE("storage export: push-storage refuses a directory without a manifest and bad flags") {
  ib::testing::ScratchDir empty;
  Storage to;
  auto none = Push(empty.path(), to, to.S());
  CHECK(none.status == 1);
  CHECK(none.output.find("no manifest") != std::string::npos);
  auto no_key = RunBinary({"push-storage", empty.path(), "--url", "http://127.0.0.1:1"});
  CHECK(no_key.status == 2);
  CHECK(no_key.output.find("needs --url URL and the service_role key in IB_SERVICE_KEY") !=
        std::string::npos);
  auto db_flag = RunBinary(
      {"push-storage", empty.path(), "--url", "http://x", "--service-key", "k", "--db", "x.db"});
  CHECK(db_flag.status == 2);
  auto bad_url =
      RunBinary({"push-storage", empty.path(), "--url", "ftp://x", "--service-key", "k"});
  CHECK(bad_url.status == 1);
  CHECK(bad_url.output.find("http:// or https://") != std::string::npos);
}
