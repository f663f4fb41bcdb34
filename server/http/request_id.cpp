#include "server/http/request_id.h"

#include <cstdint>
#include <random>

namespace ib::http {
namespace {

bool IdChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '_':
    case '.':
    case ':':
    case '/':
    case '+':
    case '=':
      return true;
    default:
      return false;
  }
}

// One generator per thread, seeded once from the system's randomness: no lock per request.
// Ids need to be unique, not secret.
uint64_t NextRandom() {
  thread_local std::mt19937_64 generator{[] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }()};
  return generator();
}

}  // namespace

bool AcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    if (!IdChar(c)) return false;
  }
  return true;
}

std::string NewRequestId() {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t high = NextRandom();
  uint64_t low = NextRandom();
  // Version 4 and the RFC 4122 variant.
  high = (high & ~uint64_t{0xF000}) | uint64_t{0x4000};
  low = (low & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);
  std::string out(36, '-');
  size_t at = 0;
  auto put = [&](uint64_t bits, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (at == 8 || at == 13 || at == 18 || at == 23) ++at;
      out[at++] = kHex[(bits >> (i * 4)) & 0xF];
    }
  };
  put(high, 16);
  put(low, 16);
  return out;
}

std::string RequestIdFor(std::string_view client_id) {
  return AcceptableRequestId(client_id) ? std::string(client_id) : NewRequestId();
}

}  // namespace ib::http
