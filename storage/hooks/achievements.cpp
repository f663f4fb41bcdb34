// Hook 5, achievement part: the ten rules of docs/hooks.md as a table, each unlocked at most
// once per user (UNIQUE(user_id, achievement_type) backs that up), its xp_reward returned to
// the caller, which adds it to total_xp and recomputes the level.
#include <nlohmann/json.hpp>
#include <set>

#include "storage/executor.h"
#include "storage/hooks/gamification.h"
#include "storage/row_writer.h"
#include "storage/values.h"

namespace ib::storage::hooks {
namespace {

// "This interview's score" is the overall_score itself, not S: 89.5 is not a high score and
// 99.5 is not perfect, though both round up.
bool ScoreAtLeast(const Progress& p, double threshold) { return p.score && *p.score >= threshold; }

}  // namespace

const std::vector<AchievementRule>& AchievementRules() {
  static const std::vector<AchievementRule> kRules = {
      {"first_interview", "First Interview", "Completed your first interview", "🎯", 50,
       [](const Progress& p) { return p.completed_interviews >= 1; }},
      {"interviews_5", "Getting Serious", "Completed 5 interviews", "📈", 100,
       [](const Progress& p) { return p.completed_interviews >= 5; }},
      {"interviews_10", "Dedicated Candidate", "Completed 10 interviews", "💪", 200,
       [](const Progress& p) { return p.completed_interviews >= 10; }},
      {"interviews_25", "Interview Veteran", "Completed 25 interviews", "🏅", 500,
       [](const Progress& p) { return p.completed_interviews >= 25; }},
      {"high_score", "High Achiever", "Scored 90 or more in an interview", "⭐", 100,
       [](const Progress& p) { return ScoreAtLeast(p, 90); }},
      {"perfect_score", "Perfect Score", "Scored a perfect 100 in an interview", "💯", 250,
       [](const Progress& p) { return p.score && *p.score == 100; }},
      {"streak_3", "On a Roll", "Practiced 3 days in a row", "🔥", 75,
       [](const Progress& p) { return p.current_streak >= 3; }},
      {"streak_7", "Week Warrior", "Practiced 7 days in a row", "🗓️", 150,
       [](const Progress& p) { return p.current_streak >= 7; }},
      {"streak_30", "Unstoppable", "Practiced 30 days in a row", "🏆", 1000,
       [](const Progress& p) { return p.current_streak >= 30; }},
      {"voice_5", "Voice Pro", "Completed 5 voice interviews", "🎙️", 150,
       [](const Progress& p) { return p.voice_completed >= 5; }},
  };
  return kRules;
}

int64_t UnlockAchievements(HookContext& ctx, const std::string& user_id,
                           const std::string& session_id, const Progress& progress) {
  std::set<std::string> unlocked;
  Executor(ctx.writer.conn())
      .Run({"SELECT achievement_type FROM achievements WHERE user_id = ?", {user_id}, ""},
           [&](const Row& r) { unlocked.insert(r.Text(0)); });
  const std::string now = FormatTimestamptz(ctx.now_micros);
  const std::string metadata = nlohmann::json{{"session_id", session_id}}.dump();
  int64_t xp = 0;
  for (const AchievementRule& rule : AchievementRules()) {
    if (unlocked.count(std::string(rule.type)) || !rule.unlocked(progress)) continue;
    ctx.writer.Insert("achievements", {{"user_id", user_id},
                                       {"achievement_type", std::string(rule.type)},
                                       {"title", std::string(rule.title)},
                                       {"description", std::string(rule.description)},
                                       {"icon", std::string(rule.icon)},
                                       {"xp_reward", rule.xp_reward},
                                       {"unlocked_at", now},
                                       {"metadata", metadata}});
    xp += rule.xp_reward;
  }
  return xp;
}

}  // namespace ib::storage::hooks
