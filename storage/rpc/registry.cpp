// Every RPC of the project as one row: name, arguments, result shape, callers, implementation.
// The implementations live one per file (interview_stats.cpp, ...), declared in functions.h.
#include "storage/rpc/functions.h"
#include "storage/rpc/rpc.h"

namespace ib::storage::rpc {
namespace {

constexpr RoleSet kUser{Role::kAuthenticated};
constexpr RoleSet kEveryone{Role::kAnon, Role::kAuthenticated};
constexpr RoleSet kServiceOnly{};

}  // namespace

const std::vector<Function>& AllFunctions() {
  // name, args {name, type, default}, returns, result columns, roles (service always),
  // own_user_arg, writes, set_impl, value_impl
  static const std::vector<Function> kFunctions = {
      // The original helper functions (security definer there; own id only here).
      {"get_user_interview_stats",
       {{"p_user_id", "uuid", std::nullopt}},
       Returns::kSetOf,
       {{"total_interviews", "bigint"},
        {"completed_interviews", "bigint"},
        {"average_score", "numeric"},
        {"total_duration_minutes", "bigint"},
        {"last_interview_date", "timestamptz"}},
       kUser,
       "p_user_id",
       false,
       GetUserInterviewStats,
       nullptr},
      {"get_recent_interviews_with_feedback",
       {{"p_user_id", "uuid", std::nullopt}, {"p_limit", "int", "10"}},
       Returns::kSetOf,
       {{"interview_id", "uuid"},
        {"title", "varchar(255)"},
        {"interview_type", "varchar(50)"},
        {"status", "varchar(50)"},
        {"overall_score", "decimal(5,2)"},
        {"created_at", "timestamptz"},
        {"feedback_id", "uuid"},
        {"hiring_recommendation", "text"}},
       kUser,
       "p_user_id",
       false,
       GetRecentInterviewsWithFeedback,
       nullptr},
      // New: the public ranking, readable without signing in like the leaderboard table.
      {"get_leaderboard",
       {{"p_limit", "int", "10"}},
       Returns::kSetOf,
       {{"rank", "int"},
        {"user_id", "uuid"},
        {"display_name", "text"},
        {"avatar_url", "text"},
        {"total_score", "int"},
        {"total_xp", "int"},
        {"level", "int"}},
       kEveryone,
       "",
       false,
       GetLeaderboard,
       nullptr},
      // New: service_role only; recomputes the time windows and ranks.
      {"refresh_leaderboard",
       {},
       Returns::kVoid,
       {},
       kServiceOnly,
       "",
       true,
       nullptr,
       RefreshLeaderboard},
  };
  return kFunctions;
}

const Function* FindFunction(std::string_view name) {
  for (const auto& f : AllFunctions()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const SqlValue& CallArgs::Get(std::string_view name) const {
  static const SqlValue kNull;
  for (const auto& [n, v] : values) {
    if (n == name) return v;
  }
  return kNull;
}

}  // namespace ib::storage::rpc
