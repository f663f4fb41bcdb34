#include "server/config_file.h"

#include <cctype>

#include "server/config.h"

namespace ib {
namespace {

std::string Trim(const std::string& s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

// IB_JWT_SECRET -> jwt-secret; a flag name stays as written. Anything else (spaces, other
// punctuation) is not a name.
bool NormalizeName(const std::string& raw, std::string& out) {
  const bool env_style = raw.rfind("IB_", 0) == 0;
  out.clear();
  for (size_t i = env_style ? 3 : 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (env_style && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (env_style && c == '_') {
      out += '-';
    } else if (!env_style && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      out += c;
    } else {
      return false;
    }
  }
  return !out.empty() && out.front() != '-' && out.back() != '-';
}

}  // namespace

std::vector<ConfigFileEntry> ParseConfigFile(const std::string& text, const std::string& file) {
  std::vector<ConfigFileEntry> entries;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](const std::string& why) {
      std::string message = file;
      message += ":" + std::to_string(line_no) + ": ";
      message += why;
      throw ConfigError(message);
    };
    const size_t eq = line.find('=');
    if (eq == std::string::npos) fail("expected `name = value`");
    ConfigFileEntry entry;
    entry.line = line_no;
    const std::string raw_name = Trim(line.substr(0, eq));
    if (!NormalizeName(raw_name, entry.name)) fail("malformed setting name '" + raw_name + "'");
    entry.value = Trim(line.substr(eq + 1));
    const size_t n = entry.value.size();
    if (n >= 2 && (entry.value[0] == '"' || entry.value[0] == '\'') &&
        entry.value[n - 1] == entry.value[0]) {
      entry.value = entry.value.substr(1, n - 2);
    } else if (n > 0 && (entry.value[0] == '"' || entry.value[0] == '\'')) {
      fail("unterminated quote in the value of " + raw_name);
    }
    for (const auto& earlier : entries) {
      if (earlier.name == entry.name) {
        fail(raw_name + " is already set on line " + std::to_string(earlier.line));
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace ib
