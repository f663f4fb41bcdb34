// The demo's plan and its recordings: the same day gives the same plan (ids and values), the
// users are distinct, and every user's newest completed interview is a voice one with a
// recording; ToneWav writes a well-formed 16-bit mono PCM WAV of the asked length.
#include "server/demo/demo_plan.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <set>

#include "server/demo/tone_wav.h"

namespace {

uint32_t Le(const std::string& s, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

}  // namespace

TEST_CASE("demo plan: deterministic, twelve distinct users, a recording each") {
  const auto a = ib::demo::MakeDemoPlan(20000);
  const auto b = ib::demo::MakeDemoPlan(20000);
  REQUIRE(a.size() == 12);
  std::set<std::string> emails;
  std::set<std::string> ids;
  for (size_t i = 0; i < a.size(); ++i) {
    emails.insert(a[i].email);
    CHECK(a[i].password == b[i].password);
    REQUIRE(a[i].sessions.size() == b[i].sessions.size());
    int recordings = 0;
    for (size_t k = 0; k < a[i].sessions.size(); ++k) {
      const auto& s = a[i].sessions[k];
      CHECK(s.insert == b[i].sessions[k].insert);
      CHECK(s.completion == b[i].sessions[k].completion);
      CHECK(s.responses == b[i].sessions[k].responses);
      CHECK(ids.insert(s.id).second);
      if (s.audio) {
        ++recordings;
        CHECK(s.voice);
        CHECK(s.completed);
      }
      CHECK(s.feedback.is_null() == !s.completed);
      CHECK(s.analytics.is_null() == !(s.completed && s.voice));
    }
    CHECK(recordings == 1);
  }
  CHECK(emails.size() == 12);
  // Another day moves the dates, not the ids.
  const auto c = ib::demo::MakeDemoPlan(20001);
  CHECK(c[0].sessions[0].id == a[0].sessions[0].id);
  CHECK(c[0].sessions[0].insert["started_at"] != a[0].sessions[0].insert["started_at"]);
}

TEST_CASE("demo plan: ToneWav is a 16-bit mono PCM WAV of the asked duration") {
  const std::string wav = ib::demo::ToneWav(440, 1500, 16000);
  REQUIRE(wav.size() == 44 + 1500 * 16 * 2);
  CHECK(wav.substr(0, 4) == "RIFF");
  CHECK(Le(wav, 4, 4) == wav.size() - 8);
  CHECK(wav.substr(8, 8) == "WAVEfmt ");
  CHECK(Le(wav, 20, 2) == 1);      // PCM
  CHECK(Le(wav, 22, 2) == 1);      // mono
  CHECK(Le(wav, 24, 4) == 16000);  // sample rate
  CHECK(Le(wav, 34, 2) == 16);     // bits per sample
  CHECK(wav.substr(36, 4) == "data");
  CHECK(Le(wav, 40, 4) == 1500 * 16 * 2);
  int16_t peak = 0;
  for (size_t i = 44; i < wav.size(); i += 2) {
    const auto v = static_cast<int16_t>(Le(wav, i, 2));
    if (v > peak) peak = v;
  }
  CHECK(peak > 9000);  // a tone, not silence
  CHECK(ib::demo::ToneWav(440, 1500, 16000) == wav);
}
