// ConfigFile: the syntax of `--config FILE`, one setting a line: `name = value` or `name=value`,
// where name is a flag's name (`jwt-secret`) or its environment variable (`IB_JWT_SECRET`), so
// a systemd EnvironmentFile is also a config file. `#` starts a comment line; blank lines are
// skipped; a value may be wrapped in one pair of '' or "" quotes. Pure: text in, entries out;
// which names exist is config.cpp's business. A malformed line throws ConfigError "FILE:LINE: ...".
#pragma once

#include <string>
#include <vector>

namespace ib {

struct ConfigFileEntry {
  std::string name;  // the flag's spelling: IB_JWT_SECRET arrives as jwt-secret
  std::string value;
  int line = 0;  // 1-based, for error messages
};

std::vector<ConfigFileEntry> ParseConfigFile(const std::string& text, const std::string& file);

}  // namespace ib
