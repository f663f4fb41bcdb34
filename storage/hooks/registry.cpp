// Every former trigger of the schema as one row: table event -> function. Read top to bottom,
// this is the whole list of what else happens when a row is written (explained in docs/hooks.md).
#include <algorithm>

#include "storage/hooks/fired_trace.h"
#include "storage/hooks/hook.h"
#include "storage/hooks/hook_functions.h"

namespace ib::storage::hooks {

const std::vector<Hook>& AllHooks() {
  using O = Op;
  using T = Timing;
  using S = Sees;
  // What the hooks read of the rows they are given (the rest comes from other tables).
  static const Reads kFeedbackLinkReads = {"id", "interview_id"};
  static const Reads kCounterReads = {"user_id", "status"};
  static const Reads kStampReads = {"status", "completed_at"};
  static const Reads kAwardReads = {"id", "user_id", "status", "overall_score", "completed_at"};
  static const std::vector<Hook> kHooks = {
      // 1. updated_at on every update of these tables, whatever the client sent (it only adds
      //    to the changes, so the row is not read for it).
      {"update_profiles_updated_at", "profiles", O::kUpdate, T::kBefore, SetUpdatedAt,
       S::kChangesOnly},
      {"update_interview_sessions_updated_at", "interview_sessions", O::kUpdate, T::kBefore,
       SetUpdatedAt, S::kChangesOnly},
      {"update_interview_feedback_updated_at", "interview_feedback", O::kUpdate, T::kBefore,
       SetUpdatedAt, S::kChangesOnly},
      {"update_user_progress_updated_at", "user_progress", O::kUpdate, T::kBefore, SetUpdatedAt,
       S::kChangesOnly},
      {"update_streaks_updated_at", "streaks", O::kUpdate, T::kBefore, SetUpdatedAt,
       S::kChangesOnly},
      // 2. new user: the profile is created with the auth user, and follows its email.
      {"handle_new_user", "auth_users", O::kInsert, T::kAfter, CreateProfileForNewUser},
      {"handle_user_email_change", "auth_users", O::kUpdate, T::kAfter, SyncProfileEmail},
      // 3. feedback link: the first feedback of a session becomes its feedback_id.
      {"link_feedback_to_session", "interview_feedback", O::kInsert, T::kAfter,
       LinkFeedbackToSession, S::kRows, kFeedbackLinkReads},
      // 4. interview counters: total_interviews follows the owner's sessions.
      {"count_interviews_on_insert", "interview_sessions", O::kInsert, T::kAfter, CountInterviews,
       S::kRows, kCounterReads},
      {"count_interviews_on_delete", "interview_sessions", O::kDelete, T::kAfter, CountInterviews,
       S::kRows, kCounterReads},
      // 5. completion: stamp completed_at, then award once per session (ib_completed_sessions).
      {"stamp_completed_at_on_insert", "interview_sessions", O::kInsert, T::kBefore,
       StampCompletedAt, S::kRows, kStampReads},
      {"stamp_completed_at_on_update", "interview_sessions", O::kUpdate, T::kBefore,
       StampCompletedAt, S::kRows, kStampReads},
      {"award_completion_on_insert", "interview_sessions", O::kInsert, T::kAfter, AwardCompletion,
       S::kRows, kAwardReads},
      {"award_completion_on_update", "interview_sessions", O::kUpdate, T::kAfter, AwardCompletion,
       S::kRows, kAwardReads},
      // After the award, as Postgres orders the two triggers (by name): when one update moves a
      // session to another user and completes it, the recount has the last word.
      {"count_interviews_on_owner_change", "interview_sessions", O::kUpdate, T::kAfter,
       CountInterviews, S::kRows, kCounterReads},
      // 6. deletion: recompute the owner's stats (ranks are computed when read).
      {"recompute_stats_on_session_delete", "interview_sessions", O::kDelete, T::kAfter,
       RecomputeAfterSessionDelete, S::kRows, kCounterReads},
  };
  return kHooks;
}

namespace {

bool IsFor(const Hook& hook, std::string_view table, Op op, Timing timing) {
  return hook.op == op && hook.timing == timing && hook.table == table;
}

}  // namespace

void Fire(HookContext& ctx, Op op, Timing timing, HookRow& row) {
  for (const Hook& hook : AllHooks()) {
    if (!IsFor(hook, row.table, op, timing)) continue;
    FiredTrace::Record(hook.name);
    hook.fn(ctx, row);
  }
}

namespace {

void AddReads(EventHooks& out, const Reads& reads) {
  for (std::string_view column : reads) {
    if (std::find(out.columns.begin(), out.columns.end(), column) == out.columns.end()) {
      out.columns.push_back(column);
    }
  }
}

}  // namespace

EventHooks HooksOn(std::string_view table, Op op, Timing timing) {
  EventHooks out;
  for (const Hook& hook : AllHooks()) {
    if (!IsFor(hook, table, op, timing)) continue;
    out.any = true;
    if (hook.sees != Sees::kRows) continue;
    out.see_rows = true;
    if (hook.reads.empty()) out.every_column = true;
    AddReads(out, hook.reads);
  }
  return out;
}

EventHooks ReadsOfBoth(const EventHooks& a, const EventHooks& b) {
  EventHooks out;
  out.any = a.any || b.any;
  out.see_rows = a.see_rows || b.see_rows;
  out.every_column = a.every_column || b.every_column;
  AddReads(out, a.columns);
  AddReads(out, b.columns);
  return out;
}

std::string TextOf(const RowData& row, std::string_view column) {
  auto it = row.find(column);
  if (it == row.end()) return "";
  if (const auto* s = std::get_if<std::string>(&it->second)) return *s;
  if (const auto* i = std::get_if<int64_t>(&it->second)) return std::to_string(*i);
  return "";
}

int64_t IntOf(const RowData& row, std::string_view column) {
  auto it = row.find(column);
  if (it == row.end()) return 0;
  if (const auto* i = std::get_if<int64_t>(&it->second)) return *i;
  if (const auto* d = std::get_if<double>(&it->second)) return static_cast<int64_t>(*d);
  return 0;
}

bool IsNull(const RowData& row, std::string_view column) {
  auto it = row.find(column);
  return it == row.end() || std::holds_alternative<std::monostate>(it->second);
}

}  // namespace ib::storage::hooks
