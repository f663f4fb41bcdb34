// What the server prints on standard output once it listens. The first line is always
// `listening on URL` (tests and tools wait for it); then, unless quiet, the keys, one URL per
// service, and the database's path, size and schema version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ib {

struct StartFacts {
  std::string base_url;  // http://HOST:PORT
  std::string anon_key;
  std::string service_key;
  std::string db_path;               // ":memory:" for a throwaway database
  std::optional<uint64_t> db_bytes;  // the file and its WAL; unset in memory
  int schema_version = 0;
};

std::string StartBanner(const StartFacts& facts, bool quiet);

// The database file's size plus its WAL's; unset when the path is not a file.
std::optional<uint64_t> DatabaseBytes(const std::string& path);

// "24.2 MB", "812 kB", "0 B": decimal units, one decimal from kB up.
std::string HumanBytes(uint64_t bytes);

}  // namespace ib
