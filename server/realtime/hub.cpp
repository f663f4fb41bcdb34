#include "server/realtime/hub.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <utility>

#include "server/realtime/change_payload.h"
#include "server/realtime/phoenix_message.h"
#include "server/realtime/socket_session.h"
#include "storage/change_visibility.h"
#include "storage/computed_values.h"
#include "storage/db.h"
#include "storage/json_text.h"
#include "storage/unit_of_work.h"

namespace ib::realtime {
namespace {

// The ids of `channel`'s bindings that `record` matches, comma-separated ("" for none).
// `row`: the new row, or the key of a delete.
std::string MatchingIds(const Channel& channel, const storage::Table& table,
                        const storage::ChangeRecord& record, const storage::ChangeRow& row) {
  std::string ids;
  for (const Binding& b : channel.bindings) {
    if (!b.active || (b.table != nullptr && b.table != &table)) continue;
    if (b.event != "*" && b.event != storage::ChangeOpName(record.op)) continue;
    if (b.filter && !b.filter->Matches(row)) continue;
    if (!ids.empty()) ids += ',';
    storage::AppendInt(ids, b.id);
  }
  return ids;
}

// Whose deletes can decide a change's visibility (storage::TablesSelectGuardsRead).
std::set<std::string, std::less<>> TablesGuardsRead(storage::Db& db) {
  storage::Principal service;
  service.role = storage::Role::kServiceRole;
  storage::ReadScope scope(db, service, storage::RequestClock::Now());
  return storage::TablesSelectGuardsRead(scope.conn(), db.catalog());
}

}  // namespace

Hub::Hub(storage::Db& db, std::string secret, RealtimeLimits limits)
    : db_(db),
      secret_(std::move(secret)),
      limits_(limits),
      tables_guards_read_(TablesGuardsRead(db)) {}

void Hub::Add(Channel* channel) {
  topics_[channel->topic].insert(channel);
  ++channel_count_;
  if (!channel->bindings.empty() && with_bindings_.insert(channel).second) {
    index_.Add(channel);
    Want(*channel, +1);
    change_channels_.store(with_bindings_.size(), std::memory_order_release);
  }
}

void Hub::Remove(Channel* channel) {
  auto it = topics_.find(channel->topic);
  if (it != topics_.end() && it->second.erase(channel) > 0) {
    --channel_count_;
    if (it->second.empty()) topics_.erase(it);
  }
  if (with_bindings_.erase(channel) > 0) {
    index_.Remove(channel);
    Want(*channel, -1);
    change_channels_.store(with_bindings_.size(), std::memory_order_release);
  }
}

void Hub::Want(const Channel& channel, int delta) {
  std::lock_guard<std::mutex> lock(wanted_mutex_);
  for (const Binding& binding : channel.bindings) {
    if (!binding.active) continue;
    const std::string name = binding.table ? binding.table->name : "";
    int& n = wanted_tables_[name];
    n += delta;
    if (n <= 0) wanted_tables_.erase(name);
  }
}

std::vector<storage::ChangeRecord> Hub::Wanted(
    const std::vector<storage::ChangeRecord>& transaction) const {
  std::vector<storage::ChangeRecord> out;
  const storage::ChangeInterest interest = Interest();
  // Deletes alone (of tables nobody binds) concern no binding.
  const bool any = interest.every_table || std::any_of(transaction.begin(), transaction.end(),
                                                       [&](const storage::ChangeRecord& r) {
                                                         return interest.tables.count(r.table) > 0;
                                                       });
  if (!any) return out;
  for (const storage::ChangeRecord& r : transaction) {
    if (interest.Wants(r.table, r.op)) out.push_back(r);
  }
  return out;
}

storage::ChangeInterest Hub::Interest() const {
  storage::ChangeInterest interest;
  std::lock_guard<std::mutex> lock(wanted_mutex_);
  if (wanted_tables_.empty()) return interest;
  // A cascade's deleted parents decide who sees a deleted child (storage/change_visibility.h).
  interest.deletes_of = tables_guards_read_;
  for (const auto& [name, bindings] : wanted_tables_) {
    if (name.empty()) {
      interest.every_table = true;
    } else {
      interest.tables.insert(name);
    }
  }
  return interest;
}

void Hub::Broadcast(const std::string& topic, const BroadcastMessage& message,
                    const Channel* sender) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  std::string text;
  std::optional<std::string> binary;
  if (message.raw) {
    binary = EncodeUserBroadcast(topic, message.event, message.payload, false);
  } else {
    text = "{\"type\":\"broadcast\",\"event\":";
    storage::AppendJsonString(text, message.event);
    text += ",\"payload\":" + message.payload + "}";
  }
  for (Channel* channel : it->second) {
    if (channel == sender && !channel->broadcast_self) continue;
    SocketSession& socket = *channel->socket;
    if (!message.raw) {
      socket.Send(std::nullopt, std::nullopt, topic, "broadcast", text);
    } else if (binary && socket.vsn() == Vsn::kV2) {
      socket.SendBinary(*binary);  // 1.0.0 sockets cannot carry raw bytes: skipped, as Realtime
    }
  }
}

void Hub::Track(Channel* channel, const nlohmann::json& payload, size_t bytes) {
  presence_bytes_ = presence_bytes_ - channel->tracked_bytes + bytes;
  channel->tracked_bytes = bytes;
  if (auto diff = presence_.Track(channel->topic, channel->presence_key, channel, payload)) {
    SendDiff(channel->topic, *diff);
  }
}

void Hub::Untrack(Channel* channel) {
  presence_bytes_ -= channel->tracked_bytes;
  channel->tracked_bytes = 0;
  if (auto diff = presence_.Untrack(channel->topic, channel)) SendDiff(channel->topic, *diff);
}

void Hub::SendDiff(const std::string& topic, const std::string& diff) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  for (Channel* channel : it->second) {
    if (channel->presence_enabled) {
      channel->socket->Send(std::nullopt, std::nullopt, topic, "presence_diff", diff);
    }
  }
}

void Hub::OnCommitted(const std::vector<storage::ChangeRecord>& transaction) {
  if (with_bindings_.empty()) return;
  const storage::Catalog& catalog = db_.catalog();
  storage::Principal reader;
  reader.role = storage::Role::kServiceRole;
  // One read snapshot for the transaction, opened by the first change that has a candidate.
  std::optional<storage::ReadScope> snapshot;
  auto conn = [&]() -> storage::Connection& {
    if (!snapshot) snapshot.emplace(db_, reader, storage::RequestClock::Now());
    return snapshot->conn();
  };
  try {
    for (const storage::ChangeRecord& record : transaction) {
      const storage::Table* table = catalog.FindExposedTable(record.table);
      if (table == nullptr) continue;
      const storage::ChangeRow* matched = record.op == storage::ChangeOp::kDelete
                                              ? &record.key
                                              : (record.new_row ? &*record.new_row : nullptr);
      if (matched == nullptr) continue;
      std::optional<std::string> data;  // rendered for the first channel that receives it
      std::map<std::pair<storage::Role, std::string>, bool> visible;  // by reader
      for (Channel* channel : index_.Candidates(*table, *matched)) {
        if (record.sequence <= channel->after_sequence) continue;
        std::string ids = MatchingIds(*channel, *table, record, *matched);
        if (ids.empty()) continue;
        const storage::Principal& who = channel->principal;
        auto seen = visible.find({who.role, who.user_id});
        if (seen == visible.end()) {
          bool may = storage::MayReadChange(conn(), catalog, record, transaction, who);
          seen = visible.emplace(std::make_pair(who.role, who.user_id), may).first;
        }
        if (!seen->second) continue;
        if (!data) {
          std::optional<storage::ChangeRow> row;
          if (record.new_row) row = storage::WithComputedColumns(conn(), *table, *record.new_row);
          data = RenderChangeData(*table, record, row ? &*row : nullptr);
        }
        std::string payload = "{\"ids\":[" + ids + "],\"data\":" + *data + "}";
        channel->socket->Send(std::nullopt, std::nullopt, channel->topic, "postgres_changes",
                              payload);
      }
    }
    if (snapshot) snapshot->End();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "realtime: changes of one transaction not delivered: %s\n", e.what());
  }
}

void Hub::FailChangeChannels() {
  std::vector<Channel*> failed(with_bindings_.begin(), with_bindings_.end());
  for (Channel* channel : failed) channel->socket->FailChannel(channel);
}

void Hub::CloseExpired(int64_t now) {
  std::vector<Channel*> expired;
  for (const auto& [topic, channels] : topics_) {
    for (Channel* channel : channels) {
      if (channel->expires_at != 0 && channel->expires_at <= now) expired.push_back(channel);
    }
  }
  for (Channel* channel : expired) {
    channel->socket->CloseChannel(
        channel, "Token has expired " + std::to_string(now - channel->expires_at) + " seconds ago");
  }
}

}  // namespace ib::realtime
