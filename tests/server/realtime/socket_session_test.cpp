// The Phoenix protocol of one socket, in-process: heartbeats, joins and their replies, join
// errors, leaves, rejoins, unmatched topics, token changes, broadcast (self, ack), presence,
// and postgres_changes delivered through the Hub only to readers the SELECT guard allows.
#include "server/realtime/socket_session.h"

#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "server/auth/jwt.h"
#include "server/realtime/hub.h"
#include "storage/unit_of_work.h"
#include "tests/support/test_db.h"

namespace ib::realtime {
namespace {

constexpr const char* kSecret = "realtime-test-secret-realtime-test-secret";
constexpr int64_t kNow = 1'800'000'000;

class FakeOutbox : public Outbox {
 public:
  void SendText(std::string frame) override { frames.push_back(std::move(frame)); }
  void SendBinary(std::string frame) override { binary.push_back(std::move(frame)); }
  void Close() override { closed = true; }
  // The frames sent since the last call, parsed.
  std::vector<nlohmann::json> Take() {
    std::vector<nlohmann::json> out;
    for (auto& f : frames) out.push_back(nlohmann::json::parse(f));
    frames.clear();
    return out;
  }
  std::vector<std::string> frames;
  std::vector<std::string> binary;
  bool closed = false;
};

std::string Token(const std::string& role, const std::string& sub, int64_t exp) {
  nlohmann::json claims{{"role", role}, {"exp", exp}};
  if (!sub.empty()) claims["sub"] = sub;
  return auth::SignHs256(claims, kSecret);
}

storage::Principal AnonKey() {
  storage::Principal p = testing::Anon();
  p.claims = {{"role", "anon"}, {"exp", kNow + 3600}};
  return p;
}

struct Client {
  Client(Hub& hub, Vsn vsn = Vsn::kV2) : session(hub, vsn, AnonKey(), out) {}
  void Push(const std::string& frame, int64_t now = kNow) { session.OnText(frame, now); }
  FakeOutbox out;
  SocketSession session;
};

std::string Join(const std::string& topic, const std::string& ref, nlohmann::json config,
                 const std::string& token = "") {
  nlohmann::json payload{{"config", std::move(config)}};
  if (!token.empty()) payload["access_token"] = token;
  return nlohmann::json::array({ref, ref, topic, "phx_join", payload}).dump();
}

TEST_CASE("realtime session: heartbeat, join, unmatched topic, leave") {
  testing::TestDb t;
  Hub hub(t.db(), kSecret, {});
  Client c(hub);
  c.Push(R"([null,"11","phoenix","heartbeat",{}])");
  auto frames = c.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0] == nlohmann::json::parse(
                         R"([null,"11","phoenix","phx_reply",{"status":"ok","response":{}}])"));

  c.Push(Join("realtime:room1", "6", {{"postgres_changes", nlohmann::json::array()}}));
  frames = c.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(
      frames[0] ==
      nlohmann::json::parse(
          R"(["6","6","realtime:room1","phx_reply",{"status":"ok","response":{"postgres_changes":[]}}])"));

  c.Push(R"(["9","10","realtime:other","broadcast",{"type":"broadcast","event":"x"}])");
  frames = c.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(
      frames[0] ==
      nlohmann::json::parse(
          R"([null,"10","realtime:other","phx_reply",{"status":"error","response":{"reason":"unmatched topic"}}])"));

  c.Push(R"(["6","13","realtime:room1","phx_leave",{}])");
  frames = c.out.Take();
  REQUIRE(frames.size() == 2);
  CHECK(frames[0][4]["status"] == "ok");
  CHECK(frames[1] == nlohmann::json::parse(R"(["6","6","realtime:room1","phx_close",{}])"));
  CHECK(hub.channels() == 0);
  // A malformed frame is ignored; the socket keeps answering.
  c.Push("][");
  c.Push(R"([null,"12","phoenix","heartbeat",{}])");
  CHECK(c.out.Take().size() == 1);
}

TEST_CASE("realtime session: join errors and limits") {
  testing::TestDb t;
  RealtimeLimits limits;
  limits.channels_per_socket = 2;
  Hub hub(t.db(), kSecret, limits);
  Client c(hub);
  c.Push(Join("realtime:", "1", {}));
  auto frames = c.out.Take();
  CHECK(frames[0][4]["response"]["reason"] == "TopicNameRequired: You must provide a topic name");
  c.Push(Join("realtime:a", "2", {}, Token("authenticated", "u1", kNow - 12)));
  frames = c.out.Take();
  CHECK(frames[0][4]["response"]["reason"] == "InvalidJWTToken: Token has expired 12 seconds ago");
  c.Push(Join("realtime:a", "3", {}, "not-a-token"));
  CHECK(c.out.Take()[0][4]["response"]["reason"] ==
        "MalformedJWT: The token provided is not a valid JWT");
  c.Push(
      Join("realtime:a", "4", {}, auth::SignHs256({{"role", "anon"}, {"exp", kNow + 9}}, "other")));
  CHECK(c.out.Take()[0][4]["response"]["reason"] ==
        "JwtSignatureError: Failed to validate JWT signature");
  c.Push(Join("realtime:a", "5", {{"private", true}}));
  CHECK(c.out.Take()[0][4]["response"]["reason"] ==
        "Unauthorized: You do not have permissions to read from this Channel topic: a");
  c.Push(Join("realtime:a", "6", {}));
  c.Push(Join("realtime:b", "7", {}));
  c.out.Take();
  c.Push(Join("realtime:c", "8", {}));
  CHECK(c.out.Take()[0][4]["response"]["reason"] == "ChannelRateLimitReached: Too many channels");
  // A second join of a joined topic replaces the channel: its old join_ref is closed.
  c.Push(Join("realtime:a", "9", {}));
  frames = c.out.Take();
  REQUIRE(frames.size() == 2);
  CHECK(frames[0] == nlohmann::json::parse(R"(["6","6","realtime:a","phx_close",{}])"));
  CHECK(frames[1][4]["status"] == "ok");
  CHECK(hub.channels() == 2);
}

TEST_CASE("realtime session: too many messages in one second close the channel they were for") {
  testing::TestDb t;
  RealtimeLimits limits;
  limits.messages_per_second = 3;
  Hub hub(t.db(), kSecret, limits);
  Client c(hub);
  c.Push(Join("realtime:r", "1", {}));
  const std::string ping = R"(["1","2","realtime:r","broadcast",{"type":"broadcast","event":"e"}])";
  c.Push(ping);
  c.Push(ping);
  c.Push(R"([null,"3","phoenix","heartbeat",{}])");  // heartbeats do not count
  c.out.Take();
  c.Push(ping);
  auto frames = c.out.Take();
  REQUIRE(frames.size() == 2);
  CHECK(frames[0][4]["message"] == "Too many messages per second");
  CHECK(frames[1][3] == "phx_close");
  CHECK(hub.channels() == 0);
  // The next second the socket may join again.
  c.Push(Join("realtime:r", "4", {}), kNow + 1);
  CHECK(c.out.Take()[0][4]["status"] == "ok");
}

TEST_CASE("realtime session: broadcast honours self and ack, across serializers") {
  testing::TestDb t;
  Hub hub(t.db(), kSecret, {});
  Client sender(hub), self_sender(hub), receiver_v1(hub, Vsn::kV1);
  sender.Push(Join("realtime:room", "1", {{"broadcast", {{"ack", true}}}}));
  self_sender.Push(Join("realtime:room", "1", {{"broadcast", {{"self", "true"}}}}));
  receiver_v1.Push(
      R"({"topic":"realtime:room","event":"phx_join","payload":{"config":{}},"ref":"1","join_ref":"1"})");
  sender.out.Take();
  self_sender.out.Take();
  receiver_v1.out.Take();

  sender.Push(
      R"(["1","2","realtime:room","broadcast",{"type":"broadcast","event":"ping","payload":{"n":1}}])");
  auto frames = sender.out.Take();
  REQUIRE(frames.size() == 1);  // the ack; not its own message (self is false)
  CHECK(frames[0] == nlohmann::json::parse(
                         R"(["1","2","realtime:room","phx_reply",{"status":"ok","response":{}}])"));
  frames = self_sender.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(
      frames[0] ==
      nlohmann::json::parse(
          R"([null,null,"realtime:room","broadcast",{"type":"broadcast","event":"ping","payload":{"n":1}}])"));
  frames = receiver_v1.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(
      frames[0] ==
      nlohmann::json::parse(
          R"({"event":"broadcast","payload":{"type":"broadcast","event":"ping","payload":{"n":1}},"ref":null,"topic":"realtime:room"})"));

  // self: the sender receives its own message; a kind-3 binary push works like the text one.
  std::string binary = std::string("\x03\x01\x01\x0d\x02\x00\x01", 7) + "1" + "3" +
                       "realtime:room" + "hi" + "{\"s\":\"\xc3\xa9\"}";
  self_sender.session.OnBinary(binary, kNow);
  frames = self_sender.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0][4]["payload"]["s"] == "\xc3\xa9");
  CHECK(sender.out.Take().size() == 1);
  // Raw bytes go to 2.0.0 sockets as kind 4 only.
  std::string raw = std::string("\x03\x01\x01\x0d\x01\x00\x00", 7) + "1" + "4" + "realtime:room" +
                    "b" + std::string("\x00\x01", 2);
  self_sender.session.OnBinary(raw, kNow);
  REQUIRE(sender.out.binary.size() == 1);
  CHECK(sender.out.binary[0] == std::string("\x04\x0d\x01\x00\x00", 5) + "realtime:room" + "b" +
                                    std::string("\x00\x01", 2));
  CHECK(receiver_v1.out.Take().size() == 1);  // the text one only
  CHECK(receiver_v1.out.binary.empty());

  // An oversize payload is dropped; with ack the sender is told.
  RealtimeLimits small;
  small.max_payload_bytes = 8;
  Hub tight(t.db(), kSecret, small);
  Client a(tight), b(tight);
  a.Push(Join("realtime:r", "1", {{"broadcast", {{"ack", true}}}}));
  b.Push(Join("realtime:r", "1", {}));
  a.out.Take();
  b.out.Take();
  a.Push(
      R"(["1","2","realtime:r","broadcast",{"type":"broadcast","event":"e","payload":{"long":"0123456789"}}])");
  CHECK(a.out.Take()[0][4] ==
        nlohmann::json::parse(R"({"status":"error","response":"payload_size_exceeded"})"));
  CHECK(b.out.Take().empty());
}

TEST_CASE("realtime session: presence state, diffs, re-track, untrack and leave") {
  testing::TestDb t;
  Hub hub(t.db(), kSecret, {});
  Client a(hub), b(hub);
  a.Push(Join("realtime:room", "1", {{"presence", {{"key", "u1"}, {"enabled", true}}}}));
  auto frames = a.out.Take();
  REQUIRE(frames.size() == 2);
  CHECK(frames[1] == nlohmann::json::parse(R"(["1",null,"realtime:room","presence_state",{}])"));
  a.Push(
      R"(["1","2","realtime:room","presence",{"type":"presence","event":"track","payload":{"online_at":"t1"}}])");
  frames = a.out.Take();
  REQUIRE(frames.size() == 2);  // the reply and the tracker's own diff
  CHECK(frames[0][4]["status"] == "ok");
  CHECK(frames[1][3] == "presence_diff");
  CHECK(frames[1][4]["joins"]["u1"]["metas"][0]["online_at"] == "t1");
  const std::string first_ref = frames[1][4]["joins"]["u1"]["metas"][0]["phx_ref"];

  // A late joiner's state already lists the presence.
  b.Push(Join("realtime:room", "1", {{"presence", {{"key", ""}, {"enabled", true}}}}));
  frames = b.out.Take();
  CHECK(frames[1][4]["u1"]["metas"][0]["phx_ref"] == first_ref);

  // The same payload again changes nothing; another one is a join and a leave.
  a.Push(
      R"(["1","3","realtime:room","presence",{"type":"presence","event":"track","payload":{"online_at":"t1"}}])");
  CHECK(a.out.Take().size() == 1);
  CHECK(b.out.Take().empty());
  a.Push(
      R"(["1","4","realtime:room","presence",{"type":"presence","event":"track","payload":{"online_at":"t2"}}])");
  frames = b.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0][4]["joins"]["u1"]["metas"][0]["phx_ref_prev"] == first_ref);
  CHECK(frames[0][4]["leaves"]["u1"]["metas"][0]["phx_ref"] == first_ref);
  a.out.Take();
  // Leaving untracks.
  a.Push(R"(["1","5","realtime:room","phx_leave",{}])");
  frames = b.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0][4]["leaves"]["u1"]["metas"][0]["online_at"] == "t2");
  // A track payload must be an object.
  b.Push(
      R"(["1","6","realtime:room","presence",{"type":"presence","event":"track","payload":[1]}])");
  CHECK(b.out.Take()[0][4]["response"]["reason"] == "Presence track payload must be a map");
}

TEST_CASE("realtime session: a socket that goes away leaves its presence") {
  testing::TestDb t;
  Hub hub(t.db(), kSecret, {});
  Client watcher(hub);
  watcher.Push(Join("realtime:room", "1", {{"presence", {{"key", "w"}, {"enabled", true}}}}));
  {
    Client leaving(hub);
    leaving.Push(Join("realtime:room", "1", {{"presence", {{"key", "x"}}}}));
    leaving.Push(
        R"(["1","2","realtime:room","presence",{"type":"presence","event":"track","payload":{}}])");
    watcher.out.Take();
  }
  auto frames = watcher.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0][4]["leaves"].contains("x"));
  CHECK(hub.channels() == 1);
}

// Collects what the database commits, to hand to the Hub as Realtime's thread would.
struct Committed {
  explicit Committed(storage::Db& db) : db_(db) {
    id_ = db.changes().Subscribe(
        [this](const std::vector<storage::ChangeRecord>& batch) { batches.push_back(batch); });
  }
  ~Committed() { db_.changes().Unsubscribe(id_); }
  void DeliverTo(Hub& hub) {
    for (auto& batch : batches) hub.OnCommitted(batch);
    batches.clear();
  }
  storage::Db& db_;
  uint64_t id_;
  std::vector<std::vector<storage::ChangeRecord>> batches;
};

void Sql(storage::Db& db, const std::string& sql) {
  db.Write(testing::Service(), storage::RequestClock::Now(), [&](storage::WriteScope& scope) {
    storage::Executor(scope.conn()).Run({sql, {}, ""});
  });
}

TEST_CASE("realtime session: postgres_changes reach only readers the SELECT guard allows") {
  testing::TestDb t;
  const std::string u1 = t.AddUser("u1@example.com");
  const std::string u2 = t.AddUser("u2@example.com");
  Hub hub(t.db(), kSecret, {});
  Committed committed(t.db());
  nlohmann::json all_attempts = nlohmann::json::array(
      {{{"event", "*"}, {"schema", "public"}, {"table", "practice_attempts"}}});
  Client one(hub), two(hub), anon(hub), service(hub);
  one.Push(Join("realtime:t", "1", {{"postgres_changes", all_attempts}},
                Token("authenticated", u1, kNow + 60)));
  two.Push(Join("realtime:t", "1", {{"postgres_changes", all_attempts}},
                Token("authenticated", u2, kNow + 60)));
  anon.Push(
      Join("realtime:t", "1", {{"postgres_changes", {{{"event", "*"}, {"schema", "public"}}}}}));
  service.Push(Join("realtime:t", "1",
                    {{"postgres_changes",
                      {{{"event", "INSERT"}, {"schema", "public"}, {"table", "practice_attempts"}},
                       {{"event", "*"}, {"schema", "public"}, {"table", "nope"}}}}},
                    Token("service_role", "", kNow + 60)));
  auto frames = one.out.Take();
  REQUIRE(frames.size() == 2);
  const int64_t id = frames[0][4]["response"]["postgres_changes"][0]["id"];
  CHECK(id != 0);
  CHECK(frames[0][4]["response"]["postgres_changes"][0]["table"] == "practice_attempts");
  CHECK(frames[1][4]["message"] == "Subscribed to PostgreSQL");
  two.out.Take();
  anon.out.Take();
  frames = service.out.Take();
  REQUIRE(frames.size() == 3);  // reply, ok, and the error of the unknown table's binding
  CHECK(frames[2][4]["status"] == "error");
  const int64_t service_id = frames[0][4]["response"]["postgres_changes"][0]["id"];

  Sql(t.db(), "INSERT INTO practice_attempts (id, user_id, score, strengths) VALUES ('a1', '" + u1 +
                  "', 87.5, '[\"clear\"]')");
  Sql(t.db(), "UPDATE practice_attempts SET score = 90 WHERE id = 'a1'");
  Sql(t.db(), "DELETE FROM practice_attempts WHERE id = 'a1'");
  committed.DeliverTo(hub);

  frames = one.out.Take();
  REQUIRE(frames.size() == 3);
  CHECK(frames[0][0].is_null());
  CHECK(frames[0][1].is_null());
  CHECK(frames[0][4]["ids"] == nlohmann::json::array({id}));
  const nlohmann::json& insert = frames[0][4]["data"];
  CHECK(insert["type"] == "INSERT");
  CHECK(insert["table"] == "practice_attempts");
  CHECK(insert["record"]["score"] == 87.5);
  CHECK(insert["record"]["strengths"] == nlohmann::json::array({"clear"}));
  CHECK(insert["record"].contains("feedback"));
  CHECK(insert["columns"][0] == nlohmann::json::parse(R"({"name":"id","type":"uuid"})"));
  CHECK(insert["errors"].is_null());
  CHECK(frames[1][4]["data"]["type"] == "UPDATE");
  CHECK(frames[1][4]["data"]["old_record"] == nlohmann::json::parse(R"({"id":"a1"})"));
  CHECK(frames[2][4]["data"]["type"] == "DELETE");
  CHECK_FALSE(frames[2][4]["data"].contains("record"));
  CHECK(frames[2][4]["data"]["old_record"] == nlohmann::json::parse(R"({"id":"a1"})"));

  CHECK(two.out.Take().empty());
  CHECK(anon.out.Take().empty());
  frames = service.out.Take();
  REQUIRE(frames.size() == 1);  // its binding asked for inserts only
  CHECK(frames[0][4]["ids"] == nlohmann::json::array({service_id}));

  // The leaderboard is everyone's: the anon channel (bound to every table) receives it.
  Sql(t.db(), "INSERT INTO leaderboard (id, user_id, total_score) VALUES ('l1', '" + u2 + "', 5)");
  committed.DeliverTo(hub);
  frames = anon.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0][4]["data"]["table"] == "leaderboard");
  CHECK(frames[0][4]["data"]["record"]["rank"] == 1);
}

TEST_CASE("realtime session: access_token switches the reader, an expired one closes") {
  testing::TestDb t;
  const std::string u1 = t.AddUser("u1@example.com");
  Hub hub(t.db(), kSecret, {});
  Committed committed(t.db());
  Client c(hub);
  c.Push(
      Join("realtime:t", "1",
           {{"postgres_changes", {{{"event", "*"}, {"schema", "public"}, {"table", "streaks"}}}}}));
  c.out.Take();
  Sql(t.db(), "INSERT INTO streaks (id, user_id) VALUES ('s1', '" + u1 + "')");
  committed.DeliverTo(hub);
  CHECK(c.out.Take().empty());  // anon reads no streaks
  c.Push(nlohmann::json::array({"1",
                                "2",
                                "realtime:t",
                                "access_token",
                                {{"access_token", Token("authenticated", u1, kNow + 30)}}})
             .dump());
  CHECK(c.out.Take().empty());  // no reply
  Sql(t.db(), "UPDATE streaks SET current_streak = 3 WHERE id = 's1'");
  committed.DeliverTo(hub);
  CHECK(c.out.Take().size() == 1);

  // At the token's expiry the channel is told and closed.
  hub.CloseExpired(kNow + 29);
  CHECK(c.out.Take().empty());
  hub.CloseExpired(kNow + 31);
  auto frames = c.out.Take();
  REQUIRE(frames.size() == 2);
  CHECK(frames[0][3] == "system");
  CHECK(frames[0][4]["message"] == "Token has expired 1 seconds ago");
  CHECK(frames[1] == nlohmann::json::parse(R"(["1","1","realtime:t","phx_close",{}])"));
  CHECK(hub.channels() == 0);
  CHECK_FALSE(hub.WantsChanges());
}

}  // namespace
}  // namespace ib::realtime

namespace ib::realtime {
namespace {

TEST_CASE("realtime session: dropped changes fail the channels that listen for them") {
  testing::TestDb t;
  Hub hub(t.db(), kSecret, {});
  Client c(hub);
  c.Push(Join(
      "realtime:changes", "1",
      {{"postgres_changes", {{{"event", "*"}, {"schema", "public"}, {"table", "leaderboard"}}}}}));
  c.Push(Join("realtime:chat", "2", {}));
  c.out.Take();
  CHECK(hub.WantsChanges());
  hub.FailChangeChannels();
  auto frames = c.out.Take();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0] == nlohmann::json::parse(
                         R"(["1","1","realtime:changes","phx_error",{"reason":"channel_crash"}])"));
  CHECK(hub.channels() == 1);  // the broadcast-only channel stays
  CHECK_FALSE(hub.WantsChanges());
}

}  // namespace
}  // namespace ib::realtime

namespace ib::realtime {
namespace {

TEST_CASE("realtime session: what one socket and the process may keep tracked is bounded") {
  testing::TestDb t;
  RealtimeLimits limits;
  limits.presence_bytes_per_socket = 40;
  limits.presence_bytes_total = 60;
  Hub hub(t.db(), kSecret, limits);
  Client a(hub), b(hub);
  auto track = [](const std::string& topic, const std::string& ref, const std::string& value) {
    return nlohmann::json::array(
               {"1",
                ref,
                topic,
                "presence",
                {{"type", "presence"}, {"event", "track"}, {"payload", {{"v", value}}}}})
        .dump();
  };
  a.Push(Join("realtime:one", "1", {}));
  a.Push(Join("realtime:two", "1", {}));
  b.Push(Join("realtime:one", "1", {}));
  a.out.Take();
  b.out.Take();
  a.Push(track("realtime:one", "2", std::string(20, 'x')));  // 28 bytes of JSON
  CHECK(a.out.Take()[0][4]["status"] == "ok");
  CHECK(hub.presence_bytes() == 28);
  // Re-tracking replaces what the channel held; another channel of the socket adds to it.
  a.Push(track("realtime:one", "3", std::string(25, 'x')));
  CHECK(a.out.Take()[0][4]["status"] == "ok");
  CHECK(hub.presence_bytes() == 33);
  a.Push(track("realtime:two", "4", std::string(5, 'x')));  // 33 + 13 > 40 for this socket
  auto frames = a.out.Take();
  REQUIRE(frames.size() == 2);
  CHECK(frames[0][4]["message"] == "Track message size exceeded");
  CHECK(frames[1][3] == "phx_close");
  // The process bound: 33 held by a, so b may not add 28 (61 > 60).
  b.Push(track("realtime:one", "2", std::string(20, 'x')));
  CHECK(b.out.Take()[0][4]["message"] == "Track message size exceeded");
  // Leaving gives the bytes back.
  a.Push(R"(["1","5","realtime:one","phx_leave",{}])");
  CHECK(hub.presence_bytes() == 0);
}

}  // namespace
}  // namespace ib::realtime

namespace ib::realtime {
namespace {

storage::ChangeRecord Change(const std::string& table, storage::ChangeOp op) {
  storage::ChangeRecord r;
  r.table = table;
  r.op = op;
  return r;
}

TEST_CASE(
    "realtime hub: the writer captures and the committing thread copies only what some binding can "
    "use") {
  testing::TestDb t;
  Hub hub(t.db(), kSecret, {});
  using storage::ChangeOp;
  const std::vector<storage::ChangeRecord> sessions_only{
      Change("interview_sessions", ChangeOp::kInsert), Change("auth_sessions", ChangeOp::kInsert)};
  const std::vector<storage::ChangeRecord> cascade{Change("interview_sessions", ChangeOp::kDelete),
                                                   Change("interview_responses", ChangeOp::kDelete),
                                                   Change("streaks", ChangeOp::kUpdate)};
  CHECK(hub.Wanted(cascade).empty());  // nobody listens
  CHECK(hub.Interest().Nothing());
  Client c(hub);
  c.Push(Join("realtime:r", "1",
              {{"postgres_changes",
                {{{"event", "*"}, {"schema", "public"}, {"table", "interview_responses"}}}}}));
  CHECK(hub.Wanted(sessions_only).empty());
  const storage::ChangeInterest responses = hub.Interest();
  CHECK(responses.tables == std::set<std::string, std::less<>>{"interview_responses"});
  // Deletes of the tables guards read (a response's guard reads its session), no others.
  CHECK(responses.deletes_of ==
        std::set<std::string, std::less<>>{"interview_sessions", "storage_buckets"});
  CHECK_FALSE(responses.Wants("storage_object_chunks", ChangeOp::kDelete));
  CHECK_FALSE(responses.Wants("interview_sessions", ChangeOp::kInsert));
  CHECK_FALSE(responses.every_table);
  // A response changed: kept, with the session's delete (it decides who sees the response's).
  auto wanted = hub.Wanted(cascade);
  REQUIRE(wanted.size() == 2);
  CHECK(wanted[0].table == "interview_sessions");
  CHECK(wanted[1].table == "interview_responses");
  // A binding on every table wants everything; leaving wants nothing again.
  Client all(hub);
  all.Push(
      Join("realtime:all", "1", {{"postgres_changes", {{{"event", "*"}, {"schema", "public"}}}}}));
  CHECK(hub.Wanted(sessions_only).size() == 2);
  CHECK(hub.Interest().every_table);
  all.Push(R"(["1","2","realtime:all","phx_leave",{}])");
  c.Push(R"(["1","2","realtime:r","phx_leave",{}])");
  CHECK(hub.Wanted(cascade).empty());
  CHECK(hub.Interest().Nothing());
}

}  // namespace
}  // namespace ib::realtime
