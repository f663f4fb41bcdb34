#include "server/demo/tone_wav.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ib::demo {
namespace {

void PutLe(std::string& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

}  // namespace

std::string ToneWav(double frequency_hz, int duration_ms, int sample_rate) {
  const uint32_t samples =
      static_cast<uint32_t>(static_cast<int64_t>(sample_rate) * duration_ms / 1000);
  const uint32_t data_bytes = samples * 2;
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  PutLe(out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  PutLe(out, 16, 4);                                      // fmt chunk size
  PutLe(out, 1, 2);                                       // PCM
  PutLe(out, 1, 2);                                       // mono
  PutLe(out, static_cast<uint32_t>(sample_rate), 4);      // sample rate
  PutLe(out, static_cast<uint32_t>(sample_rate) * 2, 4);  // byte rate
  PutLe(out, 2, 2);                                       // block align
  PutLe(out, 16, 2);                                      // bits per sample
  out += "data";
  PutLe(out, data_bytes, 4);
  const double kPi = std::acos(-1.0);
  const uint32_t fade = static_cast<uint32_t>(sample_rate / 100);
  for (uint32_t i = 0; i < samples; ++i) {
    const double edge =
        std::min({1.0, static_cast<double>(i) / fade, static_cast<double>(samples - 1 - i) / fade});
    const double v = 10000.0 * edge * std::sin(2 * kPi * frequency_hz * i / sample_rate);
    PutLe(out, static_cast<uint16_t>(static_cast<int16_t>(std::lround(v))), 2);
  }
  return out;
}

}  // namespace ib::demo
