#include "server/http/access_record.h"

namespace ib::http {
namespace {

thread_local AccessRecord* tl_record = nullptr;

bool HasPrefix(std::string_view path, std::string_view prefix) {
  return path.substr(0, prefix.size()) == prefix &&
         (path.size() == prefix.size() || path[prefix.size()] == '/');
}

}  // namespace

AccessRecord* CurrentAccess() { return tl_record; }

CurrentAccessScope::CurrentAccessScope(AccessRecord& record) : previous_(tl_record) {
  tl_record = &record;
}

CurrentAccessScope::~CurrentAccessScope() { tl_record = previous_; }

std::string_view ServiceOf(std::string_view path) {
  static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"/rest/v1", "rest"},         {"/auth/v1", "auth"},   {"/storage/v1", "storage"},
      {"/realtime/v1", "realtime"}, {"/admin/v1", "admin"}, {"/metrics", "metrics"},
      {"/health", "health"}};
  for (const auto& [prefix, service] : kPrefixes) {
    if (HasPrefix(path, prefix)) return service;
  }
  return "other";
}

std::string RoutePattern(const std::string& path, const std::smatch& matches) {
  std::string out;
  size_t at = 0;
  for (size_t i = 1; i < matches.size(); ++i) {
    if (!matches[i].matched) continue;
    const auto begin = static_cast<size_t>(matches.position(i));
    if (begin < at) continue;  // nested in a group already replaced
    out.append(path, at, begin - at);
    out += "{}";
    at = begin + static_cast<size_t>(matches.length(i));
  }
  if (at < path.size()) out.append(path, at, std::string::npos);
  return out;
}

std::string_view MethodLabel(std::string_view method) {
  static constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                  "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view known : kMethods) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace ib::http
