#include "server/start_banner.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

ib::StartFacts Facts() {
  ib::StartFacts f;
  f.base_url = "http://127.0.0.1:54321";
  f.anon_key = "anon.jwt.key";
  f.service_key = "service.jwt.key";
  f.db_path = "./data/interviewbase.db";
  f.db_bytes = 24200000;
  f.schema_version = 8;
  return f;
}

}  // namespace

TEST_CASE("start banner: the listening line first, then keys, one URL per service, the database") {
  const std::string text = ib::StartBanner(Facts(), false);
  CHECK(text.rfind("listening on http://127.0.0.1:54321\n", 0) == 0);
  CHECK(text.find("\nanon key: anon.jwt.key\n") != std::string::npos);
  CHECK(text.find("\nservice_role key: service.jwt.key\n") != std::string::npos);
  CHECK(text.find("  REST       http://127.0.0.1:54321/rest/v1\n") != std::string::npos);
  CHECK(text.find("  Auth       http://127.0.0.1:54321/auth/v1\n") != std::string::npos);
  CHECK(text.find("  Storage    http://127.0.0.1:54321/storage/v1\n") != std::string::npos);
  CHECK(text.find("  Realtime   ws://127.0.0.1:54321/realtime/v1\n") != std::string::npos);
  CHECK(text.find("  Dashboard  http://127.0.0.1:54321/_/\n") != std::string::npos);
  CHECK(text.find("  database   ./data/interviewbase.db (24.2 MB, schema version 8)\n") !=
        std::string::npos);
  CHECK(text.find("  version    interviewbase " IB_VERSION "\n") != std::string::npos);
}

TEST_CASE("start banner: quiet is the listening line alone, and https gives wss") {
  CHECK(ib::StartBanner(Facts(), true) == "listening on http://127.0.0.1:54321\n");
  auto facts = Facts();
  facts.base_url = "https://example.test:443";
  facts.db_bytes.reset();
  facts.db_path = ":memory:";
  const std::string text = ib::StartBanner(facts, false);
  CHECK(text.find("  Realtime   wss://example.test:443/realtime/v1\n") != std::string::npos);
  CHECK(text.find("  database   :memory: (in memory, schema version 8)\n") != std::string::npos);
}

TEST_CASE("start banner: sizes in decimal units, the WAL counted with the file") {
  CHECK(ib::HumanBytes(0) == "0 B");
  CHECK(ib::HumanBytes(999) == "999 B");
  CHECK(ib::HumanBytes(1000) == "1.0 kB");
  CHECK(ib::HumanBytes(812345) == "812.3 kB");
  CHECK(ib::HumanBytes(24200000) == "24.2 MB");
  CHECK(ib::HumanBytes(3500000000ULL) == "3.5 GB");
  const auto dir = std::filesystem::temp_directory_path() / "ib-banner-test";
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "x.db").string();
  std::ofstream(db) << std::string(1000, 'a');
  CHECK(ib::DatabaseBytes(db) == 1000u);
  std::ofstream(db + "-wal") << std::string(500, 'b');
  CHECK(ib::DatabaseBytes(db) == 1500u);
  CHECK_FALSE(ib::DatabaseBytes((dir / "missing.db").string()).has_value());
  std::filesystem::remove_all(dir);
}
