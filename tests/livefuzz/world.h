// World: what the fuzzer knows about the running server: its port and anon key, and two users
// each owning canary rows (profile, sessions, responses, feedback, voice analytics, practice,
// progress, auth metadata, a private storage object) that carry a string unique to that user.
// Plant() creates them through the public APIs; Replant() puts back what fuzzed writes by
// the owner changed or deleted, with the service key, so the leak check keeps something to
// find. The service key is used only here, never in a fuzzed request.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/e2e/support/server_process.h"

namespace ib::livefuzz {

struct User {
  std::string id;
  std::string email;
  std::string password;
  std::string canary;         // appears in this user's rows only; never sent by anyone else
  std::string token;          // a minted access token (no session, so logout cannot end it)
  std::string refresh_token;  // from a real sign-in, for the refresh shapes
  std::string session_row;    // interview_sessions.id
  std::string feedback_row;   // interview_feedback.id
  std::string response_row;   // interview_responses.id
  std::string analytics_row;  // voice_analytics.id
  std::string attempt_row;    // practice_attempts.id
  std::string progress_row;   // user_progress.id
  std::string object_name;    // <id>/<canary>.webm in interview-audio (a secret name)
  std::string known_object;   // <id>/answer.webm: a name others can guess, canary content
};

// A and B send requests; C only owns rows, so any change to C's rows or objects was made by
// someone else.
inline constexpr int kUsers = 3;
inline constexpr int kBystander = 2;

struct World {
  int port = 0;
  std::string anon_key;
  User users[kUsers];                   // 0 = A, 1 = B, 2 = C (the bystander, who never asks)
  std::string ghost_id;                 // a well-formed user id with no user behind it
  std::string ghost_token;              // a valid token for ghost_id
  std::vector<std::string> bad_tokens;  // expired, wrongly signed, unsigned, garbage
};

// Creates both users and their canary rows. Throws std::runtime_error on any failure.
World Plant(const e2e::ServerProcess& server, uint64_t seed);

// Restores the canary rows and objects; returns how many restore requests failed.
int Replant(const e2e::ServerProcess& server, const World& world);

// What is missing or changed among the bystander's canary rows, objects and auth metadata
// (read with the service key); empty when all is as planted.
std::vector<std::string> BystanderChanges(const e2e::ServerProcess& server, const World& world);

}  // namespace ib::livefuzz
