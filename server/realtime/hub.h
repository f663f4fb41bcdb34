// Hub: every joined channel of the process, by topic. It fans out broadcasts and presence diffs
// to a topic's channels and committed row changes to the channels whose postgres_changes
// bindings match and whose principal may read the row (storage/change_visibility.h). It also
// closes channels whose token expires. Realtime's thread only, except WantsChanges().
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/realtime/change_index.h"
#include "server/realtime/channel.h"
#include "server/realtime/presence_registry.h"
#include "server/realtime/realtime_limits.h"
#include "storage/change_log.h"

namespace ib::storage {
class Db;
}

namespace ib::realtime {

// A broadcast message: its event and its payload, JSON text or (`raw`) bytes.
struct BroadcastMessage {
  std::string event;
  std::string payload;  // JSON text when !raw
  bool raw = false;
};

class Hub {
 public:
  Hub(storage::Db& db, std::string secret, RealtimeLimits limits);

  storage::Db& db() { return db_; }
  const std::string& secret() const { return secret_; }
  const RealtimeLimits& limits() const { return limits_; }
  int64_t NextBindingId() { return ++binding_ids_; }

  // A channel joined / left (call Remove before a joined channel is destroyed).
  void Add(Channel* channel);
  void Remove(Channel* channel);

  // To every channel on `topic` but `sender` (unless it asked for its own messages).
  void Broadcast(const std::string& topic, const BroadcastMessage& message, const Channel* sender);

  // Presence of `channel`: tracks `payload` (an object, `bytes` of JSON) or untracks; the
  // diff goes to the topic.
  void Track(Channel* channel, const nlohmann::json& payload, size_t bytes);
  void Untrack(Channel* channel);
  // Bytes of every tracked payload of the process.
  size_t presence_bytes() const { return presence_bytes_; }
  std::string PresenceState(const std::string& topic) const { return presence_.State(topic); }

  // One committed transaction, in commit order.
  void OnCommitted(const std::vector<storage::ChangeRecord>& transaction);
  // Whether any channel has a postgres_changes binding (any thread): when none does, committed
  // transactions need not be copied to Realtime's thread at all.
  bool WantsChanges() const { return change_channels_.load(std::memory_order_acquire) > 0; }
  // What Realtime's thread needs of a committed transaction (any thread; the committing one
  // calls it while it holds the writer, so it copies no more than that): the records of tables
  // some binding names, and then the deletes of the tables guards read (a cascade's deleted
  // parents decide who may see a deleted child). Empty when nothing concerns a binding.
  std::vector<storage::ChangeRecord> Wanted(
      const std::vector<storage::ChangeRecord>& transaction) const;
  // What the writer should capture of the transactions that begin from now on, and what
  // Wanted keeps (any thread): nothing without bindings; else the tables they name, and the
  // deletes of the tables SELECT guards read (storage::TablesSelectGuardsRead).
  storage::ChangeInterest Interest() const;

  // Fails every channel with postgres_changes bindings (phx_error; the client rejoins): changes
  // meant for them were dropped.
  void FailChangeChannels();

  // Closes the channels whose token expired by `now` (Unix seconds).
  void CloseExpired(int64_t now);

  size_t channels() const { return channel_count_; }

 private:
  void SendDiff(const std::string& topic, const std::string& diff);

  storage::Db& db_;
  const std::string secret_;
  const RealtimeLimits limits_;
  // Whose deletes can decide a change's visibility; found once, the guards being fixed.
  const std::set<std::string, std::less<>> tables_guards_read_;
  int64_t binding_ids_ = 0;
  std::map<std::string, std::set<Channel*>> topics_;
  std::set<Channel*> with_bindings_;
  ChangeIndex index_;  // the channels of with_bindings_, by what their bindings can match
  std::atomic<size_t> change_channels_{0};
  // The tables bindings name, with how many bindings name each ("" = every table); read by the
  // committing thread, so behind a mutex.
  mutable std::mutex wanted_mutex_;
  std::map<std::string, int, std::less<>> wanted_tables_;
  void Want(const Channel& channel, int delta);
  size_t channel_count_ = 0;
  PresenceRegistry presence_;
  size_t presence_bytes_ = 0;
};

}  // namespace ib::realtime
