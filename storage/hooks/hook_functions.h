// The hook functions registered in registry.cpp, one file per family:
// updated_at.cpp, new_user.cpp, feedback_link.cpp, interview_counters.cpp, completion.cpp
// (+ streaks.cpp, achievements.cpp), session_deletion.cpp.
#pragma once

#include "storage/hooks/hook.h"

namespace ib::storage::hooks {

// 1. updated_at := now() on update (BEFORE UPDATE).
void SetUpdatedAt(HookContext& ctx, HookRow& row);

// 2. handle_new_user: a new auth user gets its profile (AFTER INSERT on auth_users), and the
// profile's email follows a changed auth email (AFTER UPDATE). new_user.cpp.
void CreateProfileForNewUser(HookContext& ctx, HookRow& row);
void SyncProfileEmail(HookContext& ctx, HookRow& row);

// 3. feedback link: a new interview_feedback row becomes its session's feedback_id when the
// session has none (AFTER INSERT on interview_feedback). feedback_link.cpp.
void LinkFeedbackToSession(HookContext& ctx, HookRow& row);

// 4. interview counters: profiles.total_interviews = the owner's session count (AFTER INSERT,
// DELETE, and UPDATE of user_id on interview_sessions). interview_counters.cpp.
void CountInterviews(HookContext& ctx, HookRow& row);

// 5. interview completion (completion.cpp, with streaks.cpp and achievements.cpp):
// completed_at := now() when a session enters 'completed' without one (BEFORE INSERT/UPDATE),
// and the one-time award of counters, XP, level, streak, achievements, leaderboard (AFTER).
void StampCompletedAt(HookContext& ctx, HookRow& row);
void AwardCompletion(HookContext& ctx, HookRow& row);

// 6. deletion (session_deletion.cpp): a deleted completed session recomputes its owner's
// counters, average and leaderboard scores. Ranks need no hook: they are computed when read.
void RecomputeAfterSessionDelete(HookContext& ctx, HookRow& row);

}  // namespace ib::storage::hooks
