// DemoPlan: the demo dataset as data, before anything is written: twelve users with fixed
// emails and passwords, and for each their interview sessions (voice and text, oldest first),
// transcripts, feedback and voice analytics as the JSON bodies a client would send. Values come
// from a fixed-seed PRNG, so the plan depends only on `today` (the UTC day the sessions are
// dated back from: every session happened 1 to ~14 days before it).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ib::demo {

// The implicit moves only move nlohmann::json values, whose move is noexcept; clang-tidy
// follows json's debug-only invariant check into them.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct DemoSession {
  std::string id;
  bool voice = false;
  bool completed = false;
  bool audio = false;         // a recording is uploaded as `<uid>/<id>.wav`
  double tone_hz = 440;       // the recording's pitch
  nlohmann::json insert;      // interview_sessions row, without user_id
  nlohmann::json completion;  // PATCH making it completed (null when not completed)
  nlohmann::json responses;   // interview_responses rows (array)
  nlohmann::json feedback;    // interview_feedback row without user_id (null: none)
  nlohmann::json analytics;   // voice_analytics row (null: none)
};

// As DemoSession.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct DemoUser {
  std::string email;
  std::string password;
  std::string full_name;
  nlohmann::json profile;             // PATCH of the user's own profile
  std::vector<DemoSession> sessions;  // in the order they happened
};

// `today_epoch_day`: days since 1970-01-01 (UTC) of the run.
std::vector<DemoUser> MakeDemoPlan(int64_t today_epoch_day);

// The plan's emails and passwords only (what a finished demo prints again).
std::vector<DemoUser> DemoAccounts();

}  // namespace ib::demo
