#include "server/start_banner.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace ib {

std::string HumanBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"kB", "MB", "GB", "TB"};
  if (bytes < 1000) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes) / 1000.0;
  size_t unit = 0;
  while (value >= 1000.0 && unit + 1 < std::size(kUnits)) {
    value /= 1000.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

std::optional<uint64_t> DatabaseBytes(const std::string& path) {
  std::error_code ec;
  const uint64_t main = std::filesystem::file_size(path, ec);
  if (ec) return std::nullopt;
  const uint64_t wal = std::filesystem::file_size(path + "-wal", ec);
  return main + (ec ? 0 : wal);
}

std::string StartBanner(const StartFacts& facts, bool quiet) {
  std::string out = "listening on " + facts.base_url + "\n";
  if (quiet) return out;
  out += "anon key: " + facts.anon_key + "\n";
  out += "service_role key: " + facts.service_key + "\n";
  // ws:// for http://, wss:// for https://.
  const bool tls = facts.base_url.rfind("https://", 0) == 0;
  const std::string ws_url = (tls ? "wss" : "ws") + facts.base_url.substr(tls ? 5 : 4);
  const std::string rows[][2] = {
      {"REST", facts.base_url + "/rest/v1"},       {"Auth", facts.base_url + "/auth/v1"},
      {"Storage", facts.base_url + "/storage/v1"}, {"Realtime", ws_url + "/realtime/v1"},
      {"Health", facts.base_url + "/health"},      {"Dashboard", facts.base_url + "/_/"}};
  out += "\n";
  for (const auto& row : rows) {
    char line[16];
    std::snprintf(line, sizeof line, "  %-10s ", row[0].c_str());
    out += line + row[1] + "\n";
  }
  out += "  database   " + facts.db_path + " (";
  out += facts.db_bytes ? HumanBytes(*facts.db_bytes) + ", " : std::string("in memory, ");
  out += "schema version " + std::to_string(facts.schema_version) + ")\n";
  out += "  version    interviewbase " IB_VERSION "\n";
  return out;
}

}  // namespace ib
