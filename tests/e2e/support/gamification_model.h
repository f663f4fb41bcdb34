// The gamification rules of docs/hooks.md, re-derived in test code from the rows a server
// holds (read over HTTP with the service key), so e2e tests compare what the hooks stored
// with what the rules say: counters, average, S sums, XP, level, ranks. Not thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/support/server_process.h"

namespace ib::e2e {

// A service-key request (apikey and bearer both the service key).
Reply AsService(const ServerProcess& server, const std::string& method, const std::string& path,
                const std::string& body = "", httplib::Headers headers = {});

// A user through the admin API; creates the profile with the user's token when no hook did.
std::string NewUser(const ServerProcess& server, const std::string& email,
                    const std::string& full_name);

// POSTs a session as `token` (user_id = uid, merged with `fields`); returns its id.
std::string NewSession(const ServerProcess& server, const std::string& token,
                       const std::string& uid, const nlohmann::json& fields);

// What the rules make of one user's rows.
struct Derived {
  int64_t total_interviews = 0;
  int64_t completed = 0;
  double average = 0;       // mean overall_score of completed scored sessions, 2 places
  int64_t total_score = 0;  // sum of S over completed sessions
  int64_t rewards = 0;      // sum of xp_reward over the user's achievement rows
  int64_t xp = 0;           // 50 per completion + sum of S + rewards
  int64_t level = 1;
  std::vector<std::string> achievements_expected;  // types the rules unlock (order-free ones)
};

// Derives every user's numbers from all sessions and achievements on the server.
std::map<std::string, Derived> DeriveAll(const ServerProcess& server);

// The rules' level for an XP total.
int64_t LevelFor(int64_t xp);

}  // namespace ib::e2e
