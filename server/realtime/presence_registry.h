// Presence: who is tracked on each topic. One presence per (channel, key); a key may hold
// metas from several channels. A meta is the tracked payload's keys plus `phx_ref`, a random
// string unique per track. Every change comes back as the Phoenix `presence_diff` payload
// ({"joins":{key:{"metas":[...]}},"leaves":{...}}) to send to the topic. Realtime's thread only.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ib::realtime {

struct Channel;

class PresenceRegistry {
 public:
  // Tracks `payload` (an object) for `channel` under `key`. nullopt when nothing changed (the
  // channel already tracks an identical payload); else the diff: the new meta in joins and,
  // for a re-track, the old one in leaves.
  std::optional<std::string> Track(const std::string& topic, const std::string& key,
                                   const Channel* channel, const nlohmann::json& payload);
  // Removes what `channel` tracks on `topic`; nullopt when it tracked nothing.
  std::optional<std::string> Untrack(const std::string& topic, const Channel* channel);
  // The `presence_state` payload of `topic`: every key with its metas ({} when nobody).
  std::string State(const std::string& topic) const;

 private:
  struct Meta {
    const Channel* channel;
    std::string phx_ref;
    nlohmann::json meta;  // the payload plus phx_ref
  };
  using Keys = std::map<std::string, std::vector<Meta>>;
  std::map<std::string, Keys> topics_;
};

}  // namespace ib::realtime
