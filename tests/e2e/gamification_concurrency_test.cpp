// Many clients completing at once: 8 threads complete 3 interviews for each of 50 users (the
// same user's sessions on different threads, and every session completed twice), racing on
// counters, exactly-once awards and everyone's ranks. Afterwards every stored number must equal
// what the rules give from the rows.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "tests/e2e/support/gamification_model.h"
#include "tests/e2e/support/server_process.h"

using ib::e2e::AsService;
using ib::e2e::Reply;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

constexpr int kUsers = 50;
constexpr int kSessionsPerUser = 3;
constexpr int kThreads = 8;

struct Work {
  std::string token;
  std::string session_id;
  double score;
};

// Runs `work` on kThreads threads; returns the statuses seen that were not 204.
std::vector<std::string> RunConcurrently(const ServerProcess& server,
                                         const std::vector<Work>& work) {
  std::atomic<size_t> next{0};
  std::mutex failures_mutex;  // guards failures
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < work.size(); i = next++) {
        const Work& w = work[i];
        json body = {{"status", "completed"}, {"overall_score", w.score}};
        Reply r = server.Send("PATCH", "/rest/v1/interview_sessions?id=eq." + w.session_id, w.token,
                              body.dump());
        if (r.status != 204) {
          std::lock_guard<std::mutex> lock(failures_mutex);
          failures.push_back(std::to_string(r.status) + " " + r.body);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  return failures;
}

TEST_CASE("gamification: 8 concurrent clients, 50 users, counters and ranks stay exact") {
  ServerProcess server{{"--password-cost", "minimal"}};
  std::vector<Work> work;
  std::vector<std::string> uids;
  for (int u = 0; u < kUsers; ++u) {
    const std::string uid =
        ib::e2e::NewUser(server, "racer" + std::to_string(u) + "@example.com", "Racer");
    const std::string token = ServerProcess::Token("authenticated", uid);
    uids.push_back(uid);
    for (int s = 0; s < kSessionsPerUser; ++s) {
      const std::string id = ib::e2e::NewSession(server, token, uid, {{"status", "in_progress"}});
      // Scores repeat across users, so ranks have ties; some reach 90 and 100 (the most a
      // score may hold), and the halves round away from zero.
      const double score = 60 + ((u * 7 + s * 13) % 41) - (s == 1 ? 0.5 : 0);
      work.push_back({token, id, score});
      work.push_back({token, id, score});  // the same completion sent twice
    }
  }
  std::shuffle(work.begin(), work.end(), std::mt19937(20240510));
  const auto failures = RunConcurrently(server, work);
  CHECK_MESSAGE(failures.empty(), (failures.empty() ? "" : failures.front()));

  auto derived = ib::e2e::DeriveAll(server);
  json profiles = AsService(server, "GET",
                            "/rest/v1/profiles?select=id,total_interviews,"
                            "completed_interviews,average_score,total_xp,level")
                      .json();
  json board = AsService(server, "GET",
                         "/rest/v1/leaderboard?select=user_id,total_score,"
                         "total_xp,rank,weekly_score")
                   .json();
  json awards = AsService(server, "GET",
                          "/rest/v1/achievements?select=user_id,achievement_type"
                          "&order=achievement_type")
                    .json();
  REQUIRE(profiles.size() == kUsers);
  REQUIRE(board.size() == kUsers);
  for (const auto& p : profiles) {
    const auto& d = derived[p["id"]];
    CAPTURE(p.dump());
    CHECK(p["total_interviews"] == kSessionsPerUser);
    CHECK(p["completed_interviews"] == d.completed);
    CHECK(d.completed == kSessionsPerUser);
    CHECK(p["average_score"].get<double>() == doctest::Approx(d.average));
    CHECK(p["total_xp"] == d.xp);
    CHECK(p["level"] == d.level);
  }
  for (const auto& row : board) {
    const auto& d = derived[row["user_id"]];
    CAPTURE(row.dump());
    CHECK(row["total_score"] == d.total_score);
    CHECK(row["weekly_score"] == d.total_score);
    CHECK(row["total_xp"] == d.xp);
    int64_t greater = 0;
    for (const auto& other : board) greater += other["total_score"] > row["total_score"] ? 1 : 0;
    CHECK(row["rank"] == 1 + greater);
  }
  for (const auto& uid : uids) {
    std::vector<std::string> got;
    for (const auto& a : awards) {
      if (a["user_id"] == uid) got.push_back(a["achievement_type"]);
    }
    auto expected = derived[uid].achievements_expected;
    std::sort(expected.begin(), expected.end());
    CHECK(got == expected);
  }
}

}  // namespace
