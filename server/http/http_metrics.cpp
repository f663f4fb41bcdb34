#include "server/http/http_metrics.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

namespace ib::http {
namespace {

constexpr char kSep = '\x1f';

std::atomic<uint64_t> next_metrics_id{1};

// This thread's shard of the instance it last counted into.
struct ShardCache {
  uint64_t owner_id = 0;
  void* shard = nullptr;
};
thread_local ShardCache tl_shard;

void AppendValue(std::string& out, double value) {
  char text[40];
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    std::snprintf(text, sizeof text, "%.9g", value);
  }
  out += text;
}

void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

std::string BucketBound(double bound) {
  std::string out;
  AppendValue(out, bound);
  return out;
}

// The key's four parts: service, method, route, status.
std::array<std::string_view, 4> SplitKey(std::string_view key) {
  std::array<std::string_view, 4> parts;
  for (size_t i = 0; i < 3; ++i) {
    const size_t sep = key.find(kSep);
    parts[i] = key.substr(0, sep);
    key.remove_prefix(sep + 1);
  }
  parts[3] = key;
  return parts;
}

}  // namespace

void AppendFamily(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  AppendEscaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void AppendSample(std::string& out, std::string_view name,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> labels,
                  double value) {
  out += name;
  if (labels.size() > 0) {
    out += '{';
    bool first = true;
    for (const auto& [label, text] : labels) {
      if (!first) out += ',';
      first = false;
      out += label;
      out += "=\"";
      AppendEscaped(out, text, true);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  AppendValue(out, value);
  out += '\n';
}

HttpMetrics::HttpMetrics() : id_(next_metrics_id.fetch_add(1)) {}

HttpMetrics::Shard& HttpMetrics::ThisThreadShard() {
  if (tl_shard.owner_id == id_) return *static_cast<Shard*>(tl_shard.shard);
  std::lock_guard<std::mutex> lock(shards_mu_);
  const std::thread::id me = std::this_thread::get_id();
  Shard* found = nullptr;
  for (const auto& shard : shards_) {
    if (shard->owner == me) found = shard.get();
  }
  if (found == nullptr) {
    shards_.push_back(std::make_unique<Shard>());
    found = shards_.back().get();
    found->owner = me;
  }
  tl_shard = {id_, found};
  return *found;
}

void HttpMetrics::CountRequest(std::string_view service, std::string_view method,
                               std::string_view route, int status, double seconds) {
  // The key is built in a per-thread buffer: no allocation once it has grown.
  thread_local std::string key;
  key.assign(service).append(1, kSep).append(method).append(1, kSep).append(route);
  key.append(1, kSep).append(std::to_string(status));
  Shard& shard = ThisThreadShard();
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.series.find(key);
  if (it == shard.series.end()) it = shard.series.emplace(key, Series{}).first;
  Series& s = it->second;
  ++s.count;
  s.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++s.buckets[i];
      break;
    }
  }
}

void HttpMetrics::Render(std::string& out) const {
  // Read first: every request that has ended by now is in the shards read below.
  const int64_t in_flight = in_flight_.load(std::memory_order_acquire);
  // Every shard's series added up, in a stable order.
  std::map<std::string, Series> totals;
  {
    std::lock_guard<std::mutex> lock(shards_mu_);
    for (const auto& shard : shards_) {
      std::lock_guard<std::mutex> shard_lock(shard->mu);
      for (const auto& [key, s] : shard->series) {
        Series& t = totals[key];
        t.count += s.count;
        t.sum += s.sum;
        for (size_t i = 0; i < kBuckets.size(); ++i) t.buckets[i] += s.buckets[i];
      }
    }
  }
  AppendFamily(out, "ib_http_requests_total", "counter",
               "HTTP requests answered, by service, method, route pattern and status.");
  // The histogram leaves the status out: (service, method, route) -> series.
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, Series> latency;
  std::map<std::string_view, uint64_t> limited;  // 429 answers by service
  for (const auto& [key, s] : totals) {
    const auto [service, method, route, status] = SplitKey(key);
    AppendSample(out, "ib_http_requests_total",
                 {{"service", service}, {"method", method}, {"route", route}, {"status", status}},
                 static_cast<double>(s.count));
    Series& l = latency[{service, method, route}];
    l.count += s.count;
    l.sum += s.sum;
    for (size_t i = 0; i < kBuckets.size(); ++i) l.buckets[i] += s.buckets[i];
    if (status == "429") limited[service] += s.count;
  }
  AppendFamily(out, "ib_http_request_duration_seconds", "histogram",
               "Time from a request's complete head to its last byte sent, by service, method "
               "and route pattern.");
  for (const auto& [labels, s] : latency) {
    const auto& [service, method, route] = labels;
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += s.buckets[i];
      const std::string le = BucketBound(kBuckets[i]);
      AppendSample(out, "ib_http_request_duration_seconds_bucket",
                   {{"service", service}, {"method", method}, {"route", route}, {"le", le}},
                   static_cast<double>(cumulative));
    }
    AppendSample(out, "ib_http_request_duration_seconds_bucket",
                 {{"service", service}, {"method", method}, {"route", route}, {"le", "+Inf"}},
                 static_cast<double>(s.count));
    AppendSample(out, "ib_http_request_duration_seconds_sum",
                 {{"service", service}, {"method", method}, {"route", route}}, s.sum);
    AppendSample(out, "ib_http_request_duration_seconds_count",
                 {{"service", service}, {"method", method}, {"route", route}},
                 static_cast<double>(s.count));
  }
  AppendFamily(out, "ib_rate_limit_refusals_total", "counter",
               "Requests refused with 429 by a rate or concurrency limit, by service; "
               "service=\"connection\" counts new connections refused by "
               "--max-connections-per-ip.");
  for (const auto& [service, count] : limited) {
    AppendSample(out, "ib_rate_limit_refusals_total", {{"service", service}},
                 static_cast<double>(count));
  }
  AppendSample(out, "ib_rate_limit_refusals_total", {{"service", "connection"}},
               static_cast<double>(refused_connections_.load(std::memory_order_relaxed)));
  AppendFamily(out, "ib_http_requests_in_flight", "gauge",
               "Requests being served now (head read, answer not yet sent).");
  AppendSample(out, "ib_http_requests_in_flight", {}, static_cast<double>(in_flight));
  AppendFamily(out, "ib_http_connections_open", "gauge",
               "Open HTTP connections, idle keep-alive ones included (not WebSockets).");
  AppendSample(out, "ib_http_connections_open", {},
               static_cast<double>(open_connections_.load(std::memory_order_relaxed)));
}

}  // namespace ib::http
