#include "server/http/access_log.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace ib::http {
namespace {

void AppendTime(std::string& out, std::chrono::system_clock::time_point time) {
  const auto since = time.time_since_epoch();
  const std::time_t seconds =
      static_cast<std::time_t>(std::chrono::duration_cast<std::chrono::seconds>(since).count());
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  out.append(text, n);
  std::snprintf(text, sizeof text, ".%03dZ", static_cast<int>(millis));
  out += text;
}

// A JSON string. What reaches here is mostly ASCII by construction (route patterns are the
// routes' literal text, ids and roles are checked); any other byte (an error message's) is
// kept out of the line as '?', so the line is always valid JSON.
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7F) {
      out += '?';
    } else {
      out += c;
    }
  }
  out += '"';
}

// A text field: no spaces or control bytes, so the line splits on spaces.
void AppendTextField(std::string& out, std::string_view text) {
  if (text.empty()) {
    out += '-';
    return;
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u <= 0x20 || u >= 0x7F) ? '?' : c;
  }
}

void AppendDurationMs(std::string& out, long long duration_us) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%03lld", duration_us / 1000, duration_us % 1000);
  out += text;
}

}  // namespace

std::string FormatAccessLine(const AccessRecord& r, long long duration_us, LogFormat format) {
  const std::string_view principal = r.principal;
  const size_t colon = principal.find(':');
  const std::string_view role = principal.substr(0, colon);
  const std::string_view user =
      colon == std::string_view::npos ? std::string_view() : principal.substr(colon + 1);
  std::string out;
  out.reserve(256);
  if (format == LogFormat::kJson) {
    out += "{\"time\":\"";
    AppendTime(out, r.time);
    out += "\",\"request_id\":";
    AppendJsonString(out, r.request_id);
    out += ",\"method\":";
    AppendJsonString(out, r.method);
    out += ",\"service\":";
    AppendJsonString(out, r.service);
    out += ",\"route\":";
    AppendJsonString(out, r.route.empty() ? std::string_view("-") : r.route);
    out += ",\"status\":" + std::to_string(r.status);
    out += ",\"bytes\":" + std::to_string(r.bytes);
    out += ",\"duration_ms\":";
    AppendDurationMs(out, duration_us);
    out += ",\"role\":";
    AppendJsonString(out, role);
    if (!user.empty()) {
      out += ",\"user_id\":";
      AppendJsonString(out, user);
    }
    if (!r.refusal.empty()) {
      out += ",\"refusal\":";
      AppendJsonString(out, r.refusal);
    }
    if (!r.error.empty()) {
      out += ",\"error\":";
      AppendJsonString(out, r.error);
    }
    out += "}\n";
    return out;
  }
  AppendTime(out, r.time);
  out += ' ';
  AppendTextField(out, r.request_id);
  out += ' ';
  AppendTextField(out, r.method);
  out += ' ';
  AppendTextField(out, r.route);
  out += ' ' + std::to_string(r.status) + ' ' + std::to_string(r.bytes) + "B ";
  AppendDurationMs(out, duration_us);
  out += "ms ";
  AppendTextField(out, principal);
  if (!r.refusal.empty()) {
    out += " refused: ";
    out += r.refusal;  // fixed text of the connection layer
  }
  if (!r.error.empty()) {
    out += ' ';
    for (char c : r.error) {  // one line: no control bytes
      const auto u = static_cast<unsigned char>(c);
      out += u < 0x20 || u == 0x7F ? '?' : c;
    }
  }
  out += '\n';
  return out;
}

void WriteAccessLine(const AccessRecord& record, LogFormat format) {
  const long long duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::steady_clock::now() - record.start)
                                    .count();
  const std::string line = FormatAccessLine(record, duration_us, format);
  // One write: lines of concurrent requests never interleave (stderr is unbuffered anyway).
  (void)!::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace ib::http
