#include "server/demo/demo_plan.h"

#include <array>
#include <cstdio>
#include <random>

#include "storage/values.h"

namespace ib::demo {
namespace {

using nlohmann::json;

struct Person {
  const char* first;
  const char* last;
  const char* role;
  const char* level;
  std::array<const char*, 3> stack;
};

constexpr Person kPeople[] = {
    {"Ada", "Okafor", "Senior Backend Engineer", "senior", {"Go", "PostgreSQL", "Kafka"}},
    {"Bruno", "Silva", "Frontend Engineer", "mid", {"TypeScript", "React", "CSS"}},
    {"Chen", "Wei", "Machine Learning Engineer", "senior", {"Python", "PyTorch", "SQL"}},
    {"Dana", "Kowalski", "Full-Stack Developer", "mid", {"Node.js", "React", "MongoDB"}},
    {"Emeka", "Nwosu", "Site Reliability Engineer", "senior", {"Kubernetes", "Terraform", "Go"}},
    {"Farah", "Haddad", "Data Engineer", "mid", {"Python", "Spark", "Airflow"}},
    {"Gustav", "Lindqvist", "iOS Developer", "junior", {"Swift", "SwiftUI", "Combine"}},
    {"Hana", "Sato", "Product Engineer", "mid", {"Ruby", "Rails", "PostgreSQL"}},
    {"Ivan", "Petrov", "Security Engineer", "senior", {"C", "Rust", "Linux"}},
    {"Julia", "Moreau", "Android Developer", "junior", {"Kotlin", "Jetpack", "Gradle"}},
    {"Kofi", "Mensah", "Backend Engineer", "junior", {"Java", "Spring", "MySQL"}},
    {"Lena", "Fischer", "Engineering Manager", "lead", {"Leadership", "Go", "AWS"}},
};
// Completed sessions per user: enough for first_interview, interviews_5 and interviews_10 to
// be unlocked by some and not others.
constexpr int kCompleted[] = {11, 9, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2};

struct Topic {
  const char* title;
  const char* description;
  std::array<const char*, 3> questions;
  std::array<const char*, 3> answers;
};

constexpr Topic kTopics[] = {
    {"System Design: URL Shortener",
     "Design a URL shortener that serves 10k redirects a second.",
     {"How would you generate short codes?", "Where do you store the mappings?",
      "How do you handle a hot link?"},
     {"A base62 counter per shard, so codes never collide and stay short.",
      "A key-value store keyed by code, with a relational table for analytics.",
      "A CDN and an in-memory cache in front, with the TTL tuned to the link's traffic."}},
    {"Behavioral: Conflict in a Team",
     "Tell us about working through disagreement.",
     {"Describe a disagreement with a teammate.", "What did you do to resolve it?",
      "What would you do differently?"},
     {"We disagreed on rewriting a service versus refactoring it in place.",
      "I wrote up both options with costs and we agreed on criteria before choosing.",
      "Bring the criteria up earlier, before positions harden."}},
    {"Algorithms: Graph Traversal",
     "Breadth-first and depth-first search in practice.",
     {"When would you choose BFS over DFS?", "How do you detect a cycle in a directed graph?",
      "What is the complexity of your approach?"},
     {"BFS for shortest paths in unweighted graphs, DFS for exhaustive exploration.",
      "DFS with three colours; a grey node reached again means a back edge.",
      "Linear: O(V + E) time and O(V) extra space."}},
    {"Frontend: Rendering Performance",
     "Keeping a large React list fast.",
     {"Why is this list slow to scroll?", "How would you fix it?",
      "How do you verify the improvement?"},
     {"Every row re-renders on each keystroke because the props change identity.",
      "Memoise rows, stabilise callbacks and virtualise the list.",
      "Profile before and after with the React profiler and track frame times."}},
    {"Databases: Indexing Strategy",
     "Choosing indexes for a reporting workload.",
     {"Which index would speed up this query?", "What does the index cost?",
      "When would you denormalise instead?"},
     {"A composite index on user id and created_at, in that order.",
      "Slower writes and more storage, and it must stay in memory to help.",
      "When the join is on the hot path and the data changes rarely."}},
    {"Behavioral: Leading a Project",
     "Ownership and delivery under uncertainty.",
     {"Tell us about a project you led.", "How did you handle slipping deadlines?",
      "What did you learn?"},
     {"I led the migration of our billing jobs to a queue-based design.",
      "We cut scope to the riskiest path first and re-planned weekly in the open.",
      "Communicate bad news early, with options attached."}},
};

constexpr const char* kStrengths[] = {"Clear structure",     "Good trade-off analysis",
                                      "Concrete examples",   "Calm under follow-up questions",
                                      "Strong fundamentals", "Asks clarifying questions"};
constexpr const char* kImprovements[] = {
    "Quantify impact",         "Fewer filler words",         "Discuss failure modes",
    "State assumptions first", "Summarise before diving in", "Mention testing"};

// "YYYY-MM-DD" of a day number (days since 1970-01-01, UTC), as the API prints dates.
std::string DateOf(int64_t day) {
  constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
  return storage::FormatTimestamptz(day * kMicrosPerDay).substr(0, 10);
}

std::string At(int64_t day, int minute_of_day) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:00Z", minute_of_day / 60, minute_of_day % 60);
  return DateOf(day) + buf;
}

// mt19937_64's sequence is fixed by the standard (distributions are not), so values are
// taken from it directly.
class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  int Below(int n) { return static_cast<int>(gen_() % static_cast<uint64_t>(n)); }
  double Score(double lo, double hi) {  // two decimals are stored; one is plenty
    return lo + static_cast<double>(Below(static_cast<int>((hi - lo) * 10) + 1)) / 10.0;
  }
  std::string Uuid() {
    uint64_t hi = gen_();
    uint64_t lo = gen_();
    hi = (hi & ~0xf000ULL) | 0x4000ULL;              // version 4
    lo = (lo & ~(0xc0ULL << 56)) | (0x80ULL << 56);  // RFC 4122 variant
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                  static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                  static_cast<unsigned>(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xffffffffffffULL));
    return buf;
  }

 private:
  std::mt19937_64 gen_;
};

std::string Recommendation(double score) {
  if (score >= 90) return "strong_hire";
  if (score >= 80) return "hire";
  if (score >= 70) return "lean_hire";
  return "no_hire";
}

json Pick(Rng& rng, const char* const* pool, int size, int n) {
  json out = json::array();
  const int start = rng.Below(size);
  for (int i = 0; i < n; ++i) out.push_back(pool[(start + i) % size]);
  return out;
}

DemoSession MakeSession(Rng& rng, bool voice, bool completed, int64_t day, int minute,
                        double score) {
  DemoSession s;
  s.id = rng.Uuid();
  s.voice = voice;
  s.completed = completed;
  const Topic& topic = kTopics[rng.Below(static_cast<int>(std::size(kTopics)))];
  const int duration = 15 + rng.Below(31);
  json questions = json::array();
  for (const char* q : topic.questions) questions.push_back(q);
  s.insert = {{"id", s.id},
              {"title", topic.title},
              {"description", topic.description},
              {"interview_type", voice ? "voice" : "text"},
              {"status", "in_progress"},
              {"started_at", At(day, minute)},
              {"questions", questions},
              {"metadata", {{"difficulty", rng.Below(2) ? "medium" : "hard"}, {"demo", true}}}};
  s.responses = json::array();
  json answers = json::array();
  std::string transcript;
  int seq = 0;
  const int answered = completed ? 3 : 1 + rng.Below(2);
  for (int i = 0; i < answered; ++i) {
    const std::string stage = i == 0 ? "introduction" : (i == 2 ? "closing" : "technical");
    const int t = minute + i * (duration / 3);
    s.responses.push_back({{"id", rng.Uuid()},
                           {"interview_id", s.id},
                           {"role", "assistant"},
                           {"content", topic.questions[i]},
                           {"timestamp", At(day, t)},
                           {"confidence", nullptr},
                           {"stage", stage},
                           {"sequence_number", ++seq},
                           {"analysis", nullptr}});
    const double confidence = 0.6 + rng.Below(40) / 100.0;
    s.responses.push_back({{"id", rng.Uuid()},
                           {"interview_id", s.id},
                           {"role", "user"},
                           {"content", topic.answers[i]},
                           {"timestamp", At(day, t + 2)},
                           {"confidence", confidence},
                           {"stage", stage},
                           {"sequence_number", ++seq},
                           {"analysis", {{"relevance", rng.Score(60, 98)}}}});
    answers.push_back(topic.answers[i]);
    transcript += std::string("Interviewer: ") + topic.questions[i] +
                  "\nCandidate: " + topic.answers[i] + "\n";
  }
  if (!completed) {
    s.completion = nullptr;
    s.feedback = nullptr;
    s.analytics = nullptr;
    return s;
  }
  const double communication = rng.Score(55, 99);
  const double technical = rng.Score(55, 99);
  const double problem_solving = rng.Score(55, 99);
  s.completion = {{"status", "completed"},
                  {"completed_at", At(day, minute + duration)},
                  {"duration_minutes", duration},
                  {"overall_score", score},
                  {"communication_score", communication},
                  {"technical_score", technical},
                  {"ai_accuracy_score", rng.Score(80, 99)},
                  {"answers", answers}};
  s.feedback = {{"id", rng.Uuid()},
                {"interview_id", s.id},
                {"overall_score", score},
                {"hiring_recommendation", Recommendation(score)},
                {"scores",
                 {{{"category", "communication"}, {"score", communication}},
                  {{"category", "technical"}, {"score", technical}},
                  {{"category", "problem_solving"}, {"score", problem_solving}}}},
                {"strengths", Pick(rng, kStrengths, std::size(kStrengths), 2)},
                {"improvements", Pick(rng, kImprovements, std::size(kImprovements), 2)},
                {"recommendations", Pick(rng, kImprovements, std::size(kImprovements), 1)},
                {"detailed_feedback", std::string("A ") + (score >= 80 ? "strong" : "solid") +
                                          " interview on " + topic.title + "."},
                {"transcript", transcript},
                {"duration_seconds", duration * 60},
                {"metadata", {{"demo", true}}}};
  if (voice) {
    s.analytics = {{"id", rng.Uuid()},
                   {"interview_id", s.id},
                   {"clarity_score", rng.Score(60, 98)},
                   {"pace_score", rng.Score(55, 95)},
                   {"volume_score", rng.Score(65, 98)},
                   {"filler_words_count", rng.Below(25)},
                   {"pause_frequency", rng.Score(5, 30)},
                   {"tonal_variation", rng.Score(40, 90)},
                   {"articulation_score", rng.Score(60, 97)},
                   {"analysis", {{"words_per_minute", 110 + rng.Below(60)}}}};
  } else {
    s.analytics = nullptr;
  }
  s.tone_hz = 220 + 20 * rng.Below(20);
  return s;
}

DemoUser AccountOf(int i) {
  const Person& p = kPeople[i];
  DemoUser u;
  std::string first = p.first;
  std::string last = p.last;
  for (auto& c : first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto& c : last) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  u.email = first + "." + last + "@demo.example.com";
  u.password = "demo-" + first + "-" + std::to_string(1000 + 37 * i);
  u.full_name = std::string(p.first) + " " + p.last;
  u.profile = {{"username", first + "_" + last.substr(0, 1)},
               {"target_role", p.role},
               {"experience_level", p.level},
               {"tech_stack", {p.stack[0], p.stack[1], p.stack[2]}},
               {"bio", std::string("Preparing for ") + p.role + " interviews."},
               {"onboarding_completed", true},
               {"preferences", {{"theme", i % 2 ? "dark" : "light"}}}};
  return u;
}

}  // namespace

std::vector<DemoUser> DemoAccounts() {
  std::vector<DemoUser> out;
  out.reserve(std::size(kPeople));
  for (int i = 0; i < static_cast<int>(std::size(kPeople)); ++i) out.push_back(AccountOf(i));
  return out;
}

std::vector<DemoUser> MakeDemoPlan(int64_t today) {
  Rng rng(20261203);
  std::vector<DemoUser> users = DemoAccounts();
  for (size_t i = 0; i < users.size(); ++i) {
    const int n = kCompleted[i];
    // Days ago of each completed session, newest first: mostly consecutive days (streaks),
    // sometimes two on one day or a gap that breaks the streak. The first user never breaks.
    std::vector<int64_t> days_ago{1};
    for (int k = 1; k < n; ++k) {
      const int r = rng.Below(10);
      const int step = i == 0 ? 1 : (r < 2 ? 0 : (r < 4 ? 2 + rng.Below(2) : 1));
      days_ago.push_back(days_ago.back() + step);
    }
    for (int k = n - 1; k >= 0; --k) {
      const int per_day = k + 1 < n && days_ago[k + 1] == days_ago[k] ? 1 : 0;
      const int minute = 8 * 60 + per_day * 300 + rng.Below(180);
      // The newest session is voice (it carries the recording); the third user is all voice.
      const bool voice = k == 0 || i == 2 || rng.Below(3) != 0;
      double score = rng.Score(62, 97);
      if (i == 0 && k == 0) score = 100;  // someone earns perfect_score
      if (i == 1 && k == 2) score = 93.5;
      DemoSession s = MakeSession(rng, voice, true, today - days_ago[k], minute, score);
      s.audio = k == 0;
      users[i].sessions.push_back(std::move(s));
    }
    if (i % 3 == 1) {  // an interview still going on (started yesterday evening)
      users[i].sessions.push_back(MakeSession(rng, i % 2 == 0, false, today - 1, 21 * 60, 0));
    }
  }
  return users;
}

}  // namespace ib::demo
