#include "server/http/http_metrics.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

using ib::http::AppendSample;
using ib::http::HttpMetrics;

namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("http metrics: counts from many threads add up per series") {
  HttpMetrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 250; ++i) m.CountRequest("rest", "GET", "/rest/v1/{}", 200, 0.0003);
      m.CountRequest("auth", "POST", "/auth/v1/token", 429, 0.02);
    });
  }
  for (auto& t : threads) t.join();
  std::string out;
  m.Render(out);
  CHECK(Has(
      out,
      R"(ib_http_requests_total{service="rest",method="GET",route="/rest/v1/{}",status="200"} 1000)"));
  CHECK(Has(
      out,
      R"(ib_http_requests_total{service="auth",method="POST",route="/auth/v1/token",status="429"} 4)"));
  // Cumulative buckets: 0.0003 s falls in the first; 0.02 s in le=0.025 and above.
  CHECK(Has(
      out,
      R"(ib_http_request_duration_seconds_bucket{service="rest",method="GET",route="/rest/v1/{}",le="0.0005"} 1000)"));
  CHECK(Has(
      out,
      R"(ib_http_request_duration_seconds_bucket{service="auth",method="POST",route="/auth/v1/token",le="0.01"} 0)"));
  CHECK(Has(
      out,
      R"(ib_http_request_duration_seconds_bucket{service="auth",method="POST",route="/auth/v1/token",le="0.025"} 4)"));
  CHECK(Has(
      out,
      R"(ib_http_request_duration_seconds_bucket{service="auth",method="POST",route="/auth/v1/token",le="+Inf"} 4)"));
  CHECK(Has(
      out,
      R"(ib_http_request_duration_seconds_count{service="auth",method="POST",route="/auth/v1/token"} 4)"));
  CHECK(Has(out, R"(ib_rate_limit_refusals_total{service="auth"} 4)"));
  CHECK(Has(out, "# TYPE ib_http_request_duration_seconds histogram"));
}

TEST_CASE("http metrics: gauges move both ways") {
  HttpMetrics m;
  m.ConnectionOpened();
  m.ConnectionOpened();
  m.ConnectionClosed();
  m.RequestStarted();
  m.ConnectionRefused();
  std::string out;
  m.Render(out);
  CHECK(Has(out, "ib_http_connections_open 1"));
  CHECK(Has(out, "ib_http_requests_in_flight 1"));
  CHECK(Has(out, R"(ib_rate_limit_refusals_total{service="connection"} 1)"));
}

TEST_CASE("http metrics: label values are escaped") {
  std::string out;
  AppendSample(out, "x", {{"a", "q\"b\\s\nn"}}, 2.5);
  CHECK(out == "x{a=\"q\\\"b\\\\s\\nn\"} 2.5\n");
}
