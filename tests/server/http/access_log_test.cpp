#include "server/http/access_log.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

using ib::http::AccessRecord;
using ib::http::FormatAccessLine;
using ib::http::LogFormat;

namespace {

AccessRecord Sample() {
  AccessRecord r;
  r.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764790000123));
  r.request_id = "req-1";
  r.method = "GET";
  r.service = "rest";
  r.route = "/rest/v1/{}";
  r.principal = "authenticated:0f3c2a1e-7b7d-4c55-9a51-2f6d6f0e9d11";
  r.status = 200;
  r.bytes = 512;
  return r;
}

}  // namespace

TEST_CASE("access log: a JSON line is one object with every field") {
  const std::string line = FormatAccessLine(Sample(), 1234, LogFormat::kJson);
  REQUIRE(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  const auto j = nlohmann::json::parse(line);
  CHECK(j["time"] == "2025-12-03T19:26:40.123Z");
  CHECK(j["request_id"] == "req-1");
  CHECK(j["method"] == "GET");
  CHECK(j["service"] == "rest");
  CHECK(j["route"] == "/rest/v1/{}");
  CHECK(j["status"] == 200);
  CHECK(j["bytes"] == 512);
  CHECK(j["duration_ms"].get<double>() == doctest::Approx(1.234));
  CHECK(j["role"] == "authenticated");
  CHECK(j["user_id"] == "0f3c2a1e-7b7d-4c55-9a51-2f6d6f0e9d11");
  CHECK_FALSE(j.contains("refusal"));
}

TEST_CASE("access log: a refusal without a route, and hostile bytes kept out of the line") {
  AccessRecord r = Sample();
  r.route.clear();
  r.principal = "-";
  r.method = "G\"E\nT";
  r.refusal = "body larger than 10 bytes";
  const std::string json = FormatAccessLine(r, 5, LogFormat::kJson);
  CHECK(json.find('\n') == json.size() - 1);
  const auto j = nlohmann::json::parse(json);
  CHECK(j["route"] == "-");
  CHECK(j["role"] == "-");
  CHECK(j["method"] == "G\"E?T");
  CHECK(j["refusal"] == "body larger than 10 bytes");
  CHECK(j["duration_ms"].get<double>() == doctest::Approx(0.005));

  const std::string text = FormatAccessLine(r, 5, LogFormat::kText);
  CHECK(text ==
        "2025-12-03T19:26:40.123Z req-1 G\"E?T - 200 512B 0.005ms - refused: body larger "
        "than 10 bytes\n");
}

TEST_CASE("access log: the cause of a 500 goes into the line, on one line") {
  AccessRecord r = Sample();
  r.status = 500;
  r.error = "error: sqlite said \"disk I/O\"\nsecond line \xc3\xa9";
  const std::string json = FormatAccessLine(r, 5, LogFormat::kJson);
  CHECK(json.find('\n') == json.size() - 1);
  CHECK(nlohmann::json::parse(json)["error"] == "error: sqlite said \"disk I/O\"?second line ??");
  const std::string text = FormatAccessLine(r, 5, LogFormat::kText);
  CHECK(text.find('\n') == text.size() - 1);
  CHECK(text.find(" 500 512B ") != std::string::npos);
  CHECK(text.find("error: sqlite said \"disk I/O\"?second line") != std::string::npos);
}

TEST_CASE("access log: a text line is space-separated fields") {
  CHECK(FormatAccessLine(Sample(), 2500001, LogFormat::kText) ==
        "2025-12-03T19:26:40.123Z req-1 GET /rest/v1/{} 200 512B 2500.001ms "
        "authenticated:0f3c2a1e-7b7d-4c55-9a51-2f6d6f0e9d11\n");
}
