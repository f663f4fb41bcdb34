// Prefer, Accept and Range parsing. PostgREST handles Prefer leniently (unknown tokens are
// ignored unless handling=strict, which the planner turns into PGRST122) and answers 406
// PGRST107 "None of these media types are available" when no Accept entry can be produced.
#include "server/rest/preferences.h"

#include <cctype>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "storage/error.h"
#include "storage/text.h"

namespace ib::rest {
namespace {

using storage::Trim;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Decimal digits only, fitting int64.
std::optional<int64_t> ParseCount(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    if (n > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

template <typename T>
using Table = std::initializer_list<std::pair<std::string_view, T>>;

template <typename T>
std::optional<T> Lookup(std::string_view value, Table<T> table) {
  for (const auto& [name, v] : table) {
    if (name == value) return v;
  }
  return std::nullopt;
}

// Which preferences were already set: the first token of each kind wins, as in PostgREST.
struct Seen {
  bool return_pref = false, count = false, resolution = false, missing = false;
  bool handling = false, max_affected = false, tx = false;
};

// Stores `v` unless its kind was seen; `applied` tells whether this token took effect.
template <typename T, typename Slot>
bool Set(std::optional<T> v, bool& seen, Slot& slot, bool& applied) {
  if (!v) return false;
  applied = !seen;
  if (!seen) slot = *v;
  seen = true;
  return true;
}

// Applies `token` (`key=value`) when it is known. Returns false for an unknown token.
bool Apply(Preferences& p, Seen& seen, std::string_view token, bool& applied) {
  const size_t eq = token.find('=');
  if (eq == std::string_view::npos) return false;
  const std::string_view key = token.substr(0, eq);
  const std::string_view value = token.substr(eq + 1);
  using RP = ReturnPreference;
  using CP = CountPreference;
  if (key == "return") {
    const Table<RP> t = {{"minimal", RP::kMinimal},
                         {"headers-only", RP::kHeadersOnly},
                         {"representation", RP::kRepresentation}};
    return Set(Lookup(value, t), seen.return_pref, p.return_pref, applied);
  }
  if (key == "count") {
    const Table<CP> t = {
        {"exact", CP::kExact}, {"planned", CP::kPlanned}, {"estimated", CP::kEstimated}};
    return Set(Lookup(value, t), seen.count, p.count, applied);
  }
  if (key == "resolution") {
    const Table<Resolution> t = {{"merge-duplicates", Resolution::kMergeDuplicates},
                                 {"ignore-duplicates", Resolution::kIgnoreDuplicates}};
    return Set(Lookup(value, t), seen.resolution, p.resolution, applied);
  }
  if (key == "missing") {
    const Table<bool> t = {{"default", true}, {"null", false}};
    return Set(Lookup(value, t), seen.missing, p.missing_default, applied);
  }
  if (key == "handling") {
    const Table<bool> t = {{"strict", true}, {"lenient", false}};
    return Set(Lookup(value, t), seen.handling, p.handling_strict, applied);
  }
  if (key == "max-affected") {
    return Set(ParseCount(value), seen.max_affected, p.max_affected, applied);
  }
  if (key == "tx") {
    const Table<bool> t = {{"rollback", true}, {"commit", false}};
    return Set(Lookup(value, t), seen.tx, p.tx_rollback, applied);
  }
  // `params=single-object` is never sent by supabase-js; known, but ignored.
  return token == "params=single-object";
}

// `application/vnd.pgrst.array+json;nulls=stripped`: is the nulls=stripped parameter present?
bool HasStrippedNulls(std::string_view params) {
  while (!params.empty()) {
    const size_t semi = params.find(';');
    if (Lower(Trim(params.substr(0, semi))) == "nulls=stripped") return true;
    if (semi == std::string_view::npos) break;
    params.remove_prefix(semi + 1);
  }
  return false;
}

std::optional<MediaType> MediaTypeOf(std::string_view entry) {
  const size_t semi = entry.find(';');
  const std::string type = Lower(Trim(entry.substr(0, semi)));
  const std::string_view params =
      semi == std::string_view::npos ? std::string_view() : entry.substr(semi + 1);
  if (type == "*/*" || type == "application/*" || type == "application/json") {
    return MediaType::kJson;
  }
  if (type == "application/vnd.pgrst.object+json" || type == "application/vnd.pgrst.object") {
    return MediaType::kSingleObject;
  }
  if (type == "application/vnd.pgrst.array+json" || type == "application/vnd.pgrst.array") {
    return HasStrippedNulls(params) ? MediaType::kArrayStripNulls : MediaType::kJson;
  }
  if (type == "text/csv") return MediaType::kCsv;
  if (type == "application/openapi+json") return MediaType::kOpenApi;
  return std::nullopt;
}

}  // namespace

Preferences ParsePrefer(const std::vector<std::string>& prefer_header_values) {
  Preferences prefs;
  Seen seen;
  for (std::string_view header : prefer_header_values) {
    while (!header.empty()) {
      const size_t comma = header.find(',');
      const std::string_view token = Trim(header.substr(0, comma));
      header.remove_prefix(comma == std::string_view::npos ? header.size() : comma + 1);
      if (token.empty()) continue;
      bool applied = false;
      if (!Apply(prefs, seen, token, applied)) {
        prefs.invalid.emplace_back(token);
      } else if (applied) {
        prefs.applied.emplace_back(token);
      }
    }
  }
  return prefs;
}

MediaType ParseAccept(std::string_view accept) {
  if (Trim(accept).empty()) return MediaType::kJson;
  std::string_view rest = accept;
  for (;;) {
    const size_t comma = rest.find(',');
    if (auto type = MediaTypeOf(rest.substr(0, comma))) return *type;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  throw storage::Error::NotAcceptable(accept);
}

std::optional<RangeHeader> ParseRangeHeader(std::string_view range) {
  range = Trim(range);
  const size_t dash = range.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::optional<int64_t> from = ParseCount(range.substr(0, dash));
  if (!from) return std::nullopt;
  const std::string_view to_text = range.substr(dash + 1);
  if (to_text.empty()) return RangeHeader{*from, std::nullopt};
  const std::optional<int64_t> to = ParseCount(to_text);
  if (!to || *to < *from || *to - *from == std::numeric_limits<int64_t>::max()) {
    return std::nullopt;
  }
  return RangeHeader{*from, *to - *from + 1};
}

}  // namespace ib::rest
