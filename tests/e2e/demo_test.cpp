// `interviewbase demo` with the real binary: a fresh database gets twelve users who can sign
// in with the printed passwords, interviews of both types with transcripts, feedback and voice
// analytics, XP, ranks, achievements, streaks and WAV recordings; a second run writes nothing;
// a database holding anything else, an interrupted demo, or one being served is refused and
// left as it was, while an empty one is filled.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "storage/db.h"
#include "storage/migrator.h"
#include "tests/e2e/support/server_process.h"
#include "tests/support/scratch_dir.h"

using ib::e2e::Reply;
using ib::e2e::RunBinary;
using ib::e2e::ServerProcess;
using nlohmann::json;

namespace {

// Every row of every table, as text in a stable order: equal dumps, equal contents.
std::string Dump(const std::string& db) {
  SQLite::Database file(db, SQLite::OPEN_READONLY);
  std::vector<std::string> tables;
  SQLite::Statement list(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (list.executeStep()) tables.push_back(list.getColumn(0).getString());
  std::string out;
  for (const std::string& t : tables) {
    SQLite::Statement rows(file, "SELECT * FROM \"" + t + "\"");
    std::vector<std::string> lines;
    while (rows.executeStep()) {
      std::string line;
      for (int c = 0; c < rows.getColumnCount(); ++c) {
        line += rows.getColumn(c).isNull() ? std::string("NULL") : rows.getColumn(c).getString();
        line += '\x1f';
      }
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    out += t + ":" + std::to_string(lines.size()) + "\n";
    for (const std::string& l : lines) out += l + "\n";
  }
  return out;
}

// The "  email password" lines the demo prints.
std::map<std::string, std::string> Credentials(const std::string& output) {
  std::map<std::string, std::string> out;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("  ", 0) != 0) continue;
    std::istringstream words(line);
    std::string email;
    std::string password;
    if (words >> email >> password && email.find('@') != std::string::npos) out[email] = password;
  }
  return out;
}

ib::e2e::CommandResult Demo(const std::string& db) {
  return RunBinary({"demo", "--db", db, "--password-cost", "minimal"});
}

json ServiceGet(const ServerProcess& s, const std::string& path) {
  const Reply r = s.Send("GET", path, s.service_key(), "", {{"apikey", s.service_key()}});
  REQUIRE_MESSAGE(r.status == 200, path << " " << r.body);
  return r.json();
}

}  // namespace

TEST_CASE("demo: fills a fresh database through the API, and a second run changes nothing") {
  ib::testing::ScratchDir scratch;
  const std::string db = scratch.path() + "/demo.db";
  const auto first = Demo(db);
  REQUIRE_MESSAGE(first.status == 0, first.output);
  const auto creds = Credentials(first.output);
  REQUIRE(creds.size() == 12);

  const std::string before = Dump(db);
  const auto second = Demo(db);
  CHECK_MESSAGE(second.status == 0, second.output);
  CHECK(second.output.find("already holds the demo") != std::string::npos);
  CHECK(Credentials(second.output) == creds);
  CHECK(Dump(db) == before);

  ServerProcess server(ib::e2e::FastPasswords(), db);
  std::map<std::string, std::string> tokens;  // user id -> access token
  for (const auto& [email, password] : creds) {
    const Reply r = server.Send("POST", "/auth/v1/token?grant_type=password", "",
                                json{{"email", email}, {"password", password}}.dump(),
                                {{"apikey", server.anon_key()}});
    REQUIRE_MESSAGE(r.status == 200, email << " " << r.body);
    tokens[r.json()["user"]["id"].get<std::string>()] = r.json()["access_token"];
  }
  const auto& [some_email, some_password] = *creds.begin();
  CHECK(server
            .Send("POST", "/auth/v1/token?grant_type=password", "",
                  json{{"email", some_email}, {"password", some_password + "x"}}.dump(),
                  {{"apikey", server.anon_key()}})
            .status == 400);

  // The public leaderboard: every demo user, with XP and a rank.
  const Reply board = server.Send("GET", "/rest/v1/leaderboard?select=user_id,total_xp,rank", "",
                                  "", {{"apikey", server.anon_key()}});
  REQUIRE(board.status == 200);
  REQUIRE(board.json().size() == 12);
  std::set<int> ranks;
  for (const json& row : board.json()) {
    CHECK(tokens.count(row["user_id"].get<std::string>()) == 1);
    CHECK(row["total_xp"].get<int>() > 0);
    REQUIRE(row["rank"].is_number_integer());
    ranks.insert(row["rank"].get<int>());
  }
  CHECK(ranks.count(1) == 1);
  CHECK(ranks.size() > 1);

  const json achievements = ServiceGet(server, "/rest/v1/achievements?select=achievement_type");
  std::set<std::string> kinds;
  for (const json& a : achievements) kinds.insert(a["achievement_type"].get<std::string>());
  CHECK(kinds.count("first_interview") == 1);
  CHECK(kinds.count("streak_3") == 1);
  CHECK(kinds.size() >= 4);
  const json streaks =
      ServiceGet(server, "/rest/v1/streaks?select=current_streak&order=current_streak.desc");
  REQUIRE(streaks.size() == 12);
  CHECK(streaks[0]["current_streak"].get<int>() > 1);

  const json sessions = ServiceGet(server, "/rest/v1/interview_sessions?select=*");
  std::map<std::string, int> by_type;
  std::vector<json> recorded;
  for (const json& s : sessions) {
    if (s["status"] == "completed") {
      ++by_type[s["interview_type"].get<std::string>()];
      CHECK(s["overall_score"].is_number());
      CHECK(s["completed_at"].is_string());
    }
    if (s["metadata"].contains("recording")) recorded.push_back(s);
  }
  CHECK(by_type["voice"] >= 10);
  CHECK(by_type["text"] >= 5);
  CHECK(ServiceGet(server, "/rest/v1/interview_responses?select=id").size() >= sessions.size());
  CHECK(ServiceGet(server, "/rest/v1/interview_feedback?select=id").size() ==
        static_cast<size_t>(by_type["voice"] + by_type["text"]));
  CHECK(ServiceGet(server, "/rest/v1/voice_analytics?select=id").size() ==
        static_cast<size_t>(by_type["voice"]));

  // A recording, read by its owner: a WAV file.
  REQUIRE(recorded.size() == 12);
  const json& s = recorded.front();
  const std::string path = s["metadata"]["recording"];  // interview-audio/<uid>/<id>.wav
  CHECK(path.rfind("interview-audio/" + s["user_id"].get<std::string>() + "/", 0) == 0);
  const std::string token = tokens.at(s["user_id"].get<std::string>());
  const Reply wav =
      server.Send("GET", "/storage/v1/object/" + path, token, "", {{"apikey", server.anon_key()}});
  REQUIRE(wav.status == 200);
  CHECK(wav.header("Content-Type") == "audio/wav");
  REQUIRE(wav.body.size() > 44);
  CHECK(wav.body.substr(0, 4) == "RIFF");
  CHECK(wav.body.substr(8, 4) == "WAVE");
}

TEST_CASE("demo: refused while served, on other users' data and on an interrupted demo") {
  ib::testing::ScratchDir scratch;
  const std::string other = scratch.path() + "/other.db";
  {
    ServerProcess server(ib::e2e::FastPasswords(), other);
    server.CreateUser("someone@example.com");
    const auto held = Demo(other);
    CHECK(held.status == 1);
    CHECK_MESSAGE(held.output.find("already served") != std::string::npos, held.output);
  }
  const std::string before = Dump(other);
  const auto refused = Demo(other);
  CHECK(refused.status == 1);
  CHECK_MESSAGE(
      refused.output.find("someone@example.com, who is not a demo user") != std::string::npos,
      refused.output);
  CHECK(Credentials(refused.output).empty());
  CHECK(Dump(other) == before);

  // One demo user and nothing else: what an interrupted run leaves.
  const std::string partial = scratch.path() + "/partial.db";
  ServerProcess(ib::e2e::FastPasswords(), partial).CreateUser("ada.okafor@demo.example.com");
  const std::string partial_before = Dump(partial);
  const auto interrupted = Demo(partial);
  CHECK(interrupted.status == 1);
  CHECK(interrupted.output.find("unfinished demo") != std::string::npos);
  CHECK(Dump(partial) == partial_before);

  // A user under an older schema: refused before the start would migrate the file, which
  // stays byte for byte as it was.
  const std::string old = scratch.path() + "/old.db";
  {
    ib::storage::Db db(old);  // its connection has the SQL functions migration 0001 uses
    ib::storage::Db::WriteLease lease(db);
    SQLite::Database& file = lease.conn().db();
    file.exec(ib::storage::EmbeddedMigrations().at(0).sql);
    file.exec("PRAGMA user_version = 1");
    file.exec(
        "INSERT INTO auth_users (id, email, encrypted_password) VALUES "
        "('0b7e4f5c-8d1a-4c3e-9f2b-6a5d4c3b2a10', 'old@example.com', 'x')");
  }
  const auto bytes = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  };
  const std::string old_before = bytes(old);
  const auto older = Demo(old);
  CHECK(older.status == 1);
  CHECK_MESSAGE(older.output.find("older than this binary's") != std::string::npos, older.output);
  CHECK(bytes(old) == old_before);

  // Positive control: an existing database a server made, without data, is filled.
  const std::string empty = scratch.path() + "/empty.db";
  ServerProcess(ib::e2e::FastPasswords(), empty).Stop();
  const auto filled = Demo(empty);
  CHECK_MESSAGE(filled.status == 0, filled.output);
  CHECK(Credentials(filled.output).size() == 12);
}
