#include "server/realtime/presence_registry.h"

#include <openssl/rand.h>

#include <algorithm>

#include "server/auth/jwt.h"

namespace ib::realtime {
namespace {

// Phoenix's ref: 8 random bytes, base64.
std::string NewRef() {
  unsigned char bytes[8];
  RAND_bytes(bytes, sizeof bytes);
  return auth::Base64UrlEncode(std::string(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string Diff(const nlohmann::json& joins, const nlohmann::json& leaves) {
  return nlohmann::json{{"joins", joins}, {"leaves", leaves}}.dump();
}

nlohmann::json One(const std::string& key, const nlohmann::json& meta) {
  return nlohmann::json{{key, {{"metas", nlohmann::json::array({meta})}}}};
}

}  // namespace

std::optional<std::string> PresenceRegistry::Track(const std::string& topic, const std::string& key,
                                                   const Channel* channel,
                                                   const nlohmann::json& payload) {
  std::vector<Meta>& metas = topics_[topic][key];
  auto mine =
      std::find_if(metas.begin(), metas.end(), [&](const Meta& m) { return m.channel == channel; });
  nlohmann::json meta = payload;
  if (mine != metas.end()) {
    nlohmann::json before = mine->meta;
    before.erase("phx_ref");
    before.erase("phx_ref_prev");
    if (before == payload) return std::nullopt;
  }
  Meta added{channel, NewRef(), {}};
  meta["phx_ref"] = added.phx_ref;
  nlohmann::json leaves = nlohmann::json::object();
  if (mine != metas.end()) {
    meta["phx_ref_prev"] = mine->phx_ref;
    leaves = One(key, mine->meta);
    metas.erase(mine);
  }
  added.meta = meta;
  metas.push_back(std::move(added));
  return Diff(One(key, meta), leaves);
}

std::optional<std::string> PresenceRegistry::Untrack(const std::string& topic,
                                                     const Channel* channel) {
  auto topic_it = topics_.find(topic);
  if (topic_it == topics_.end()) return std::nullopt;
  nlohmann::json leaves = nlohmann::json::object();
  Keys& keys = topic_it->second;
  for (auto it = keys.begin(); it != keys.end();) {
    std::vector<Meta>& metas = it->second;
    for (auto m = metas.begin(); m != metas.end();) {
      if (m->channel == channel) {
        leaves[it->first]["metas"].push_back(m->meta);
        m = metas.erase(m);
      } else {
        ++m;
      }
    }
    it = metas.empty() ? keys.erase(it) : std::next(it);
  }
  if (keys.empty()) topics_.erase(topic_it);
  if (leaves.empty()) return std::nullopt;
  return Diff(nlohmann::json::object(), leaves);
}

std::string PresenceRegistry::State(const std::string& topic) const {
  nlohmann::json state = nlohmann::json::object();
  auto topic_it = topics_.find(topic);
  if (topic_it != topics_.end()) {
    for (const auto& [key, metas] : topic_it->second) {
      for (const Meta& m : metas) state[key]["metas"].push_back(m.meta);
    }
  }
  return state.dump();
}

}  // namespace ib::realtime
