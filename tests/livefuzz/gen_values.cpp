// The schema the fuzzer aims at (mirrors schema/migrations) and the pools of values it draws.
#include <string>

#include "tests/livefuzz/gen.h"

namespace ib::livefuzz {
namespace {

const std::vector<std::string>& Plain() {
  static const std::vector<std::string> kValues = {"",
                                                   "x",
                                                   "null",
                                                   "NULL",
                                                   "true",
                                                   "false",
                                                   "t",
                                                   "0",
                                                   "1",
                                                   "-1",
                                                   "42",
                                                   "3.14",
                                                   "-0",
                                                   "1e308",
                                                   "1e-308",
                                                   "NaN",
                                                   "Infinity",
                                                   "-Infinity",
                                                   "99999999999999999999999",
                                                   "0x10",
                                                   "999.99",
                                                   "100",
                                                   "100.01",
                                                   "2024-03-01T10:00:00Z",
                                                   "2024-03-01",
                                                   "2024-13-45",
                                                   "2024-02-30T25:61:00",
                                                   "now",
                                                   "today",
                                                   "infinity",
                                                   "epoch",
                                                   "10:00",
                                                   "voice",
                                                   "text",
                                                   "completed",
                                                   "in_progress",
                                                   "pending",
                                                   "user",
                                                   "assistant",
                                                   "system",
                                                   "mid",
                                                   "senior",
                                                   "interview-audio",
                                                   "avatars",
                                                   "a b",
                                                   "a,b",
                                                   "a.b",
                                                   "(a)",
                                                   "{a,b}",
                                                   "{}",
                                                   "[]",
                                                   "[1,2]",
                                                   "{\"a\":1}",
                                                   "{\"a\":[1,{}]}",
                                                   "\"quoted\"",
                                                   "*",
                                                   "%",
                                                   "_",
                                                   "%a%",
                                                   "a*",
                                                   "^a",
                                                   "a$",
                                                   "[a-z]+",
                                                   "(a|b)",
                                                   "\\",
                                                   "'",
                                                   "'; DROP TABLE profiles;--",
                                                   "1 OR 1=1",
                                                   "$1",
                                                   ":uid",
                                                   "?",
                                                   "é",
                                                   "日本語",
                                                   "😀",
                                                   "\xff\xfe",
                                                   "\xc3\x28",
                                                   "\x01\x02",
                                                   "\t",
                                                   std::string("a\0b", 3),
                                                   "\x7f",
                                                   "-",
                                                   ".",
                                                   "..",
                                                   "/",
                                                   "~"};
  return kValues;
}

std::string Digits(Rng& rng, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng.Below(10));
  return s;
}

}  // namespace

const char* WhoName(Who who) {
  switch (who) {
    case Who::kUserA:
      return "user A";
    case Who::kUserB:
      return "user B";
    case Who::kAnon:
      return "anon";
    case Who::kGhost:
      return "ghost user";
    case Who::kBadToken:
      return "bad token";
    case Who::kNoKey:
      return "no apikey";
  }
  return "?";
}

const std::vector<Table>& PublicTables() {
  static const std::vector<Table> kTables = {
      {"profiles",
       {{"id", 'u'},
        {"email", 't'},
        {"name", 't'},
        {"full_name", 't'},
        {"avatar_url", 't'},
        {"bio", 't'},
        {"experience_level", 't'},
        {"target_role", 't'},
        {"tech_stack", 'a'},
        {"total_interviews", 'i'},
        {"completed_interviews", 'i'},
        {"average_score", 'n'},
        {"total_xp", 'i'},
        {"level", 'i'},
        {"streak_days", 'i'},
        {"last_activity_date", 'd'},
        {"onboarding_completed", 'b'},
        {"preferences", 'j'},
        {"username", 't'},
        {"created_at", 's'},
        {"updated_at", 's'}},
       {}},
      {"practice_attempts",
       {{"id", 'u'},
        {"user_id", 'u'},
        {"question_id", 'u'},
        {"answer", 't'},
        {"score", 'n'},
        {"time_taken_seconds", 'i'},
        {"feedback", 't'},
        {"strengths", 'a'},
        {"improvements", 'a'},
        {"attempt_number", 'i'},
        {"is_correct", 'b'},
        {"difficulty", 't'},
        {"created_at", 's'}},
       {}},
      {"interview_sessions",
       {{"id", 'u'},
        {"user_id", 'u'},
        {"title", 't'},
        {"description", 't'},
        {"interview_type", 't'},
        {"status", 't'},
        {"metadata", 'j'},
        {"questions", 'j'},
        {"answers", 'j'},
        {"started_at", 's'},
        {"completed_at", 's'},
        {"duration_minutes", 'i'},
        {"overall_score", 'n'},
        {"communication_score", 'n'},
        {"technical_score", 'n'},
        {"ai_accuracy_score", 'n'},
        {"feedback", 'j'},
        {"feedback_id", 'u'},
        {"created_at", 's'},
        {"updated_at", 's'}},
       {"interview_feedback", "interview_responses", "voice_analytics"}},
      {"interview_responses",
       {{"id", 'u'},
        {"interview_id", 'u'},
        {"role", 't'},
        {"content", 't'},
        {"timestamp", 's'},
        {"confidence", 'n'},
        {"stage", 't'},
        {"analysis", 'j'},
        {"sequence_number", 'i'},
        {"created_at", 's'}},
       {"interview_sessions"}},
      {"interview_feedback",
       {{"id", 'u'},
        {"interview_id", 'u'},
        {"user_id", 'u'},
        {"overall_score", 'n'},
        {"hiring_recommendation", 't'},
        {"scores", 'j'},
        {"strengths", 'j'},
        {"improvements", 'j'},
        {"recommendations", 'j'},
        {"detailed_feedback", 't'},
        {"transcript", 't'},
        {"duration_seconds", 'i'},
        {"metadata", 'j'},
        {"created_at", 's'},
        {"updated_at", 's'}},
       {"interview_sessions"}},
      {"voice_analytics",
       {{"id", 'u'},
        {"interview_id", 'u'},
        {"clarity_score", 'n'},
        {"pace_score", 'n'},
        {"volume_score", 'n'},
        {"filler_words_count", 'i'},
        {"pause_frequency", 'n'},
        {"tonal_variation", 'n'},
        {"articulation_score", 'n'},
        {"analysis", 'j'},
        {"created_at", 's'}},
       {"interview_sessions"}},
      {"achievements",
       {{"id", 'u'},
        {"user_id", 'u'},
        {"achievement_type", 't'},
        {"title", 't'},
        {"description", 't'},
        {"icon", 't'},
        {"xp_reward", 'i'},
        {"unlocked_at", 's'},
        {"metadata", 'j'}},
       {}},
      {"user_progress",
       {{"id", 'u'},
        {"user_id", 'u'},
        {"category", 't'},
        {"skill", 't'},
        {"level", 'i'},
        {"xp", 'i'},
        {"total_attempts", 'i'},
        {"successful_attempts", 'i'},
        {"last_practiced_at", 's'},
        {"created_at", 's'},
        {"updated_at", 's'}},
       {}},
      {"leaderboard",
       {{"id", 'u'},
        {"user_id", 'u'},
        {"total_score", 'i'},
        {"total_xp", 'i'},
        {"rank", 'i'},
        {"weekly_score", 'i'},
        {"monthly_score", 'i'},
        {"last_updated", 's'}},
       {}},
      {"streaks",
       {{"id", 'u'},
        {"user_id", 'u'},
        {"current_streak", 'i'},
        {"longest_streak", 'i'},
        {"last_activity_date", 'd'},
        {"streak_data", 'j'},
        {"created_at", 's'},
        {"updated_at", 's'}},
       {}},
  };
  return kTables;
}

std::string Gen::Hostile() {
  switch (rng.Below(10)) {
    case 0:
      return std::string(1 + rng.Below(3000), "a(,.)*"[rng.Below(6)]);
    case 1: {
      std::string s;
      for (size_t i = 0, n = 1 + rng.Below(40); i < n; ++i) s += static_cast<char>(rng.Below(256));
      return s;
    }
    case 2:
      return std::string(1 + rng.Below(60), '(') + "a" + std::string(rng.Below(60), ')');
    case 3:
      return "%" + std::string(1 + rng.Below(3), "0Fz%"[rng.Below(4)]);
    case 4:
      return Digits(rng, 1 + rng.Below(400));
    case 5:
      return "-" + Digits(rng, 1 + rng.Below(30)) + "." + Digits(rng, rng.Below(30));
    case 6:
      return std::string(1 + rng.Below(20), '"');
    case 7:
      return std::string(1 + rng.Below(100), ',');
    case 8:
      return "\\u0000\\ud800" + Word();
    default:
      return Word() + std::string(1, static_cast<char>(rng.Below(32))) + Word();
  }
}

std::string Gen::Word() {
  static const std::vector<std::string> kWords = {
      "id",    "title",  "status", "a",     "b",    "x",    "note", "score",      "count",
      "avg",   "sum",    "max",    "inner", "left", "one",  "many", "select",     "order",
      "limit", "offset", "or",     "and",   "not",  "asc",  "desc", "nullsfirst", "nullslast",
      "eq",    "neq",    "json",   "text",  "int",  "uuid", "0",    "1",          "-1",
      "00",    "key",    "ключ",   "k e y", "",
  };
  return rng.Pick(kWords);
}

std::string Gen::UserId() {
  switch (rng.Below(6)) {
    case 0:
    case 1:
      return self ? self->id : world.ghost_id;
    case 2:
      return other ? other->id : world.users[rng.Below(kUsers)].id;
    case 3:
      return world.ghost_id;
    case 4:
      return "00000000-0000-0000-0000-000000000000";
    default:
      return rng.Chance(50) ? "not-a-uuid" : Value();
  }
}

std::string Gen::Id() {
  const User* u = rng.Chance(50) && self ? self : (other ? other : &world.users[rng.Below(kUsers)]);
  switch (rng.Below(9)) {
    case 0:
      return u->session_row;
    case 1:
      return u->feedback_row;
    case 2:
      return u->response_row;
    case 3:
      return u->analytics_row;
    case 4:
      return u->attempt_row;
    case 5:
      return u->progress_row;
    case 6:
      return u->id;
    case 7:
      return world.ghost_id;
    default:
      return rng.Chance(50) ? u->session_row.substr(0, rng.Below(36)) : u->id + "x";
  }
}

std::string Gen::Value() {
  unsigned roll = static_cast<unsigned>(rng.Below(100));
  if (roll < 55) return rng.Pick(Plain());
  if (roll < 70) return Id();
  if (roll < 75) return UserId();
  if (roll < 82 && self) return rng.Chance(70) ? self->canary : "%" + self->canary + "%";
  if (roll < 88) return Digits(rng, 1 + rng.Below(12));
  return Hostile();
}

std::string Gen::ValueFor(char kind) {
  if (rng.Chance(20)) return Value();
  switch (kind) {
    case 'u':
      return Id();
    case 'i':
      return std::to_string(static_cast<long long>(rng.Below(200)) - 50);
    case 'n':
      return std::to_string(rng.Below(120)) + "." + std::to_string(rng.Below(100));
    case 'b':
      return rng.Chance(50) ? "true" : "false";
    case 's':
      return "2026-0" + std::to_string(1 + rng.Below(9)) + "-1" + std::to_string(rng.Below(10)) +
             "T1" + std::to_string(rng.Below(10)) + ":00:00" + (rng.Chance(50) ? "Z" : "+02:00");
    case 'd':
      return "2026-0" + std::to_string(1 + rng.Below(9)) + "-0" + std::to_string(1 + rng.Below(9));
    case 'a':
      return "{" + Word() + "," + Word() + "}";
    case 'j':
      return rng.Chance(50) ? "{\"note\":\"" + Word() + "\"}" : "[1,\"a\"]";
    default:
      return rng.Chance(80) ? Word() + " " + Word() : Value();
  }
}

std::string Gen::JsonValueFor(char kind) {
  auto quoted = [](const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        static const char* kHex = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  if (rng.Chance(10)) {
    static const std::vector<std::string> kOdd = {
        "null",   "true",
        "0",      "-1",
        "1e400",  "123456789012345678901234567890",
        "[]",     "{}",
        "[null]", "{\"a\":{\"b\":{\"c\":[1,2,{\"d\":null}]}}}",
        "\"\"",   "0.1e-999",
        "-0.0"};
    return rng.Pick(kOdd);
  }
  switch (kind) {
    case 'i':
    case 'n':
      return rng.Chance(85) ? ValueFor(kind) : quoted(ValueFor(kind));
    case 'b':
      return rng.Chance(85) ? ValueFor('b') : quoted("yes");
    case 'j':
      return rng.Chance(50) ? "{\"note\":" + quoted(Value()) + ",\"n\":[1,2.5,null]}"
                            : "[" + quoted(Value()) + ",{}]";
    case 'a':
      return "[" + quoted(Word()) + "," + quoted(Value()) + "]";
    default:
      return quoted(ValueFor(kind));
  }
}

const Table& Gen::AnyTable() { return rng.Pick(PublicTables()); }

std::string Gen::TableName() {
  if (rng.Chance(88)) return AnyTable().name;
  static const std::vector<std::string> kOther = {"auth_users",
                                                  "auth_sessions",
                                                  "auth_refresh_tokens",
                                                  "auth_identities",
                                                  "ib_settings",
                                                  "ib_completed_sessions",
                                                  "storage_objects",
                                                  "storage_buckets",
                                                  "storage_object_chunks",
                                                  "sqlite_master",
                                                  "sqlite_schema",
                                                  "Interview_Sessions",
                                                  "PROFILES",
                                                  "nope",
                                                  "profiles;",
                                                  "profiles%00",
                                                  "pg_catalog.pg_tables",
                                                  "information_schema.tables",
                                                  "rpc",
                                                  "..",
                                                  "%2e%2e"};
  return rng.Pick(kOther);
}

const Column& Gen::AnyColumn(const Table& t) { return rng.Pick(t.columns); }

std::string Gen::ColumnName(const Table& t) {
  if (rng.Chance(90)) return AnyColumn(t).name;
  static const std::vector<std::string> kOther = {
      "nope",  "ID",     "rowid", "oid",      "_rowid_",           "encrypted_password",
      "email", "\"id\"", "id;",   "user_id)", "sqlite_master.sql", "*",
      "count", "xmin",   "ctid"};
  return rng.Pick(kOther);
}

void AddAuthHeaders(Gen& g, Request& r) {
  static const std::vector<std::string> kClientInfo = {"supabase-js-node/2.45.4",
                                                       "supabase-js-web/2.39.0", "postgrest-js"};
  if (g.who != Who::kNoKey || g.rng.Chance(30)) {
    std::string key = g.world.anon_key;
    if (g.who == Who::kNoKey) key = g.rng.Chance(50) ? "" : key.substr(0, g.rng.Below(key.size()));
    r.headers.emplace_back("apikey", key);
  }
  switch (g.who) {
    case Who::kUserA:
    case Who::kUserB:
      r.headers.emplace_back("Authorization", "Bearer " + g.self->token);
      break;
    case Who::kGhost:
      r.headers.emplace_back("Authorization", "Bearer " + g.world.ghost_token);
      break;
    case Who::kBadToken: {
      static const std::vector<std::string> kSchemes = {"Bearer ", "bearer ", "Basic ", "",
                                                        "Bearer  "};
      r.headers.emplace_back("Authorization",
                             g.rng.Pick(kSchemes) + g.rng.Pick(g.world.bad_tokens));
      break;
    }
    case Who::kAnon:
      // supabase-js sends the anon key as the bearer too when nobody is signed in.
      if (g.rng.Chance(80)) r.headers.emplace_back("Authorization", "Bearer " + g.world.anon_key);
      break;
    case Who::kNoKey:
      break;
  }
  r.headers.emplace_back("X-Client-Info", g.rng.Pick(kClientInfo));
}

}  // namespace ib::livefuzz
