// What tests read from a WAL file's header (https://www.sqlite.org/fileformat2.html#walformat).
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

namespace ib::testing {

// The header's checkpoint sequence number: SQLite adds one each time the WAL starts over
// (0 when the file is missing or shorter than its header).
inline uint32_t WalRestarts(const std::string& wal) {
  std::ifstream in(wal, std::ios::binary);
  unsigned char header[16] = {};
  in.read(reinterpret_cast<char*>(header), sizeof header);
  return (uint32_t{header[12]} << 24) | (uint32_t{header[13]} << 16) | (uint32_t{header[14]} << 8) |
         uint32_t{header[15]};
}

}  // namespace ib::testing
