// ToneWav: a short mono sine tone as a 16-bit PCM WAV file (RIFF/WAVE, "fmt " and "data"
// chunks, little-endian), made in code so the demo's audio objects need no file or tool.
// The bytes depend only on the arguments.
#pragma once

#include <string>

namespace ib::demo {

// `frequency_hz` tone of `duration_ms` at `sample_rate` Hz, amplitude about a third of full
// scale, with 10 ms fades at both ends (no clicks).
std::string ToneWav(double frequency_hz, int duration_ms, int sample_rate = 16000);

}  // namespace ib::demo
