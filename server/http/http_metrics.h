// HttpMetrics: the HTTP side's counters for /metrics: requests by service, method, route
// pattern and status, their latency as a histogram, requests in flight, open connections and
// connections refused by the per-address cap. Cheap on the request path: each thread counts
// into a shard of its own (its mutex is only ever contended by a scrape), and the gauges are
// relaxed atomics. Render() writes the Prometheus text exposition format (version 0.0.4).
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace ib::http {

class HttpMetrics {
 public:
  // Upper bounds (seconds) of the latency histogram's buckets, +Inf besides.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  HttpMetrics();
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  // One request answered. `service`, `method` and `route` must come from a bounded set
  // (ServiceOf, MethodLabel, RoutePattern): each combination is a series kept for good.
  void CountRequest(std::string_view service, std::string_view method, std::string_view route,
                    int status, double seconds);

  void RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  // Release: a scrape that sees the request gone (Render reads in-flight first, acquiring) also
  // sees it counted.
  void RequestEnded() { in_flight_.fetch_sub(1, std::memory_order_release); }
  void ConnectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void ConnectionRefused() { refused_connections_.fetch_add(1, std::memory_order_relaxed); }

  // Appends every HTTP metric, HELP and TYPE lines included.
  void Render(std::string& out) const;

 private:
  struct Series {
    uint64_t count = 0;
    double sum = 0;
    std::array<uint64_t, kBuckets.size()> buckets{};  // not cumulative; Render adds them up
  };
  struct Shard {
    std::thread::id owner;
    std::mutex mu;
    // Key: service, method, route, status joined by '\x1f' (Render splits them again).
    std::unordered_map<std::string, Series> series;
  };
  Shard& ThisThreadShard();

  const uint64_t id_;  // tells instances apart in the per-thread shard cache
  mutable std::mutex shards_mu_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> open_connections_{0};
  std::atomic<uint64_t> refused_connections_{0};
};

// Appends one Prometheus exposition line: `name{labels} value`. `labels` are name/value pairs;
// values are escaped (backslash, double quote, line feed).
void AppendSample(std::string& out, std::string_view name,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> labels,
                  double value);
// Appends the HELP and TYPE lines of a metric family.
void AppendFamily(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help);

}  // namespace ib::http
