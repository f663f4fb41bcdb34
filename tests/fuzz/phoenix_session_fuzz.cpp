// libFuzzer target: one Realtime socket (server/realtime/socket_session.h) fed fuzzed frames, with
// a second socket joined to the same topics watching. Byte 0 picks the serializer; the rest is
// split at 0xFF bytes into frames, each text unless it starts with 0x03 (a kind-3 binary push).
// Properties: nothing throws; every text frame sent is one JSON value of the socket's shape
// (an array of 5 on 2.0.0, an object on 1.0.0); the channel and presence bounds hold; and once
// both sockets are gone the Hub holds no channel and no presence.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/auth/jwt.h"
#include "server/realtime/hub.h"
#include "server/realtime/socket_session.h"
#include "storage/catalog.h"
#include "storage/db.h"
#include "storage/migrator.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ib::realtime::Hub;
using ib::realtime::SocketSession;
using ib::realtime::Vsn;

constexpr const char* kSecret = "phoenix-fuzz-secret-phoenix-fuzz-secret";
constexpr int64_t kNow = 1'800'000'000;

class CheckedOutbox : public ib::realtime::Outbox {
 public:
  explicit CheckedOutbox(Vsn vsn) : vsn_(vsn) {}
  void SendText(std::string frame) override {
    auto parsed = nlohmann::json::parse(frame, nullptr, false);
    ib::fuzz::Check(!parsed.is_discarded(), "a sent frame is not JSON", frame);
    if (vsn_ == Vsn::kV2) {
      ib::fuzz::Check(parsed.is_array() && parsed.size() == 5 && parsed[4].is_object(),
                      "a 2.0.0 frame is not [join_ref, ref, topic, event, {payload}]", frame);
    } else {
      ib::fuzz::Check(parsed.is_object() && parsed.contains("event") && parsed.contains("topic"),
                      "a 1.0.0 frame is not an object", frame);
    }
  }
  void SendBinary(std::string frame) override {
    ib::fuzz::Check(vsn_ == Vsn::kV2 && !frame.empty() && frame[0] == 4,
                    "a binary frame other than kind 4, or on 1.0.0");
  }
  void Close() override {}

 private:
  Vsn vsn_;
};

struct Fixture {
  std::unique_ptr<ib::storage::Db> db;
  std::string user_token;
};

Fixture& Shared() {
  static Fixture f = [] {
    Fixture out;
    out.db = std::make_unique<ib::storage::Db>(":memory:");
    std::shared_ptr<const ib::storage::Catalog> catalog;
    {
      ib::storage::Db::WriteLease lease(*out.db);
      ib::storage::Migrate(lease.conn().db(), ib::storage::EmbeddedMigrations());
      catalog = ib::storage::Catalog::Load(lease.conn());
    }
    out.db->SetCatalog(catalog);
    out.user_token = ib::auth::SignHs256({{"role", "authenticated"},
                                          {"sub", "11111111-2222-3333-4444-555555555555"},
                                          {"exp", kNow + 3600}},
                                         kSecret);
    return out;
  }();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Fixture& f = Shared();
  ib::realtime::RealtimeLimits limits;
  limits.channels_per_socket = 4;
  limits.presence_bytes_per_socket = 2000;
  limits.presence_bytes_total = 3000;
  Hub hub(*f.db, kSecret, limits);
  const Vsn vsn = (data[0] & 1) ? Vsn::kV2 : Vsn::kV1;
  ib::storage::Principal anon;
  anon.claims = {{"role", "anon"}, {"exp", kNow + 3600}};
  {
    CheckedOutbox out(vsn), watcher_out(Vsn::kV2);
    SocketSession session(hub, vsn, anon, out);
    SocketSession watcher(hub, Vsn::kV2, anon, watcher_out);
    for (const char* topic : {"realtime:a", "realtime:b"}) {
      watcher.OnText(nlohmann::json::array({"1",
                                            "1",
                                            topic,
                                            "phx_join",
                                            {{"config", {{"presence", {{"enabled", true}}}}},
                                             {"access_token", f.user_token}}})
                         .dump(),
                     kNow);
    }
    std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
    size_t start = 0;
    int64_t now = kNow;
    while (start <= input.size()) {
      size_t end = input.find('\xff', start);
      if (end == std::string::npos) end = input.size();
      std::string frame = input.substr(start, end - start);
      if (!frame.empty() && frame[0] == 3) {
        session.OnBinary(frame, now);
      } else {
        session.OnText(frame, now);
      }
      ++now;  // a second per frame: the rate limits reset, token expiry moves on
      if (now % 7 == 0) hub.CloseExpired(now);
      ib::fuzz::Check(hub.channels() <= limits.channels_per_socket + 2, "too many channels");
      ib::fuzz::Check(hub.presence_bytes() <= limits.presence_bytes_total, "presence over bound");
      start = end + 1;
    }
  }
  ib::fuzz::Check(hub.channels() == 0, "a channel outlived its socket");
  ib::fuzz::Check(hub.presence_bytes() == 0, "presence outlived its sockets");
  return 0;
}
