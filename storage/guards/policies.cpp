// The RLS page of the project: every guard (docs/guards.md), one row each, as the seed's
// policy list would read. "Own" is `user_id = auth.uid()`; child tables are own through
// their interview session. A table/command pair without a row here is service_role only.
#include "storage/guards/policy.h"

namespace ib::storage::guards {
namespace {

constexpr std::string_view kOwnRow = "$t.user_id = :uid";
constexpr std::string_view kOwnProfile = "$t.id = :uid";
constexpr std::string_view kOwnInterview =
    "EXISTS (SELECT 1 FROM interview_sessions AS parent "
    "WHERE parent.id = $t.interview_id AND parent.user_id = :uid)";
constexpr std::string_view kOwnFeedback =
    "$t.user_id = :uid AND EXISTS (SELECT 1 FROM interview_sessions AS parent "
    "WHERE parent.id = $t.interview_id AND parent.user_id = :uid)";

// Storage: a user's folder in `interview-audio` is every name whose first path segment is their
// uid, i.e. starting with "<uid>/". Written as a byte range ("<uid>/" < name < "<uid>0", '0'
// being the byte after '/'), which the (bucket_id, name) index serves and which needs no LIKE.
constexpr std::string_view kOwnAudio =
    "$t.bucket_id = 'interview-audio' AND $t.name > :uid || '/' AND $t.name < :uid || '0'";
constexpr std::string_view kInPublicBucket =
    "EXISTS (SELECT 1 FROM storage_buckets AS bucket "
    "WHERE bucket.id = $t.bucket_id AND bucket.public)";

using C = Command;
constexpr RoleSet kUser{Role::kAuthenticated};
constexpr RoleSet kEveryone{Role::kAnon, Role::kAuthenticated};

}  // namespace

const std::vector<Policy>& AllPolicies() {
  static const std::vector<Policy> kPolicies = {
      // name                                         table          command  roles  using  check
      {"Users can view own profile", "profiles", C::kSelect, kUser, kOwnProfile, ""},
      {"Users can insert own profile", "profiles", C::kInsert, kUser, "", kOwnProfile},
      {"Users can update own profile", "profiles", C::kUpdate, kUser, kOwnProfile, kOwnProfile},
      {"Users can delete own profile", "profiles", C::kDelete, kUser, kOwnProfile, ""},

      {"Users can view own practice attempts", "practice_attempts", C::kSelect, kUser, kOwnRow, ""},
      {"Users can insert own practice attempts", "practice_attempts", C::kInsert, kUser, "",
       kOwnRow},
      {"Users can update own practice attempts", "practice_attempts", C::kUpdate, kUser, kOwnRow,
       kOwnRow},
      {"Users can delete own practice attempts", "practice_attempts", C::kDelete, kUser, kOwnRow,
       ""},

      {"Users can view own interviews", "interview_sessions", C::kSelect, kUser, kOwnRow, ""},
      {"Users can insert own interviews", "interview_sessions", C::kInsert, kUser, "", kOwnRow},
      // The check keeps user_id on the caller: an owner cannot hand a session to someone else.
      {"Users can update own interviews", "interview_sessions", C::kUpdate, kUser, kOwnRow,
       kOwnRow},
      {"Users can delete own interviews", "interview_sessions", C::kDelete, kUser, kOwnRow, ""},

      {"Users can view own responses", "interview_responses", C::kSelect, kUser, kOwnInterview, ""},
      {"Users can insert own responses", "interview_responses", C::kInsert, kUser, "",
       kOwnInterview},
      {"Users can update own responses", "interview_responses", C::kUpdate, kUser, kOwnInterview,
       kOwnInterview},
      {"Users can delete own responses", "interview_responses", C::kDelete, kUser, kOwnInterview,
       ""},

      {"Users can view own feedback", "interview_feedback", C::kSelect, kUser, kOwnRow, ""},
      {"Users can insert own feedback", "interview_feedback", C::kInsert, kUser, "", kOwnFeedback},
      {"Users can update own feedback", "interview_feedback", C::kUpdate, kUser, kOwnRow,
       kOwnFeedback},
      {"Users can delete own feedback", "interview_feedback", C::kDelete, kUser, kOwnRow, ""},

      {"Users can view own voice analytics", "voice_analytics", C::kSelect, kUser, kOwnInterview,
       ""},
      {"Users can insert own voice analytics", "voice_analytics", C::kInsert, kUser, "",
       kOwnInterview},
      {"Users can update own voice analytics", "voice_analytics", C::kUpdate, kUser, kOwnInterview,
       kOwnInterview},
      {"Users can delete own voice analytics", "voice_analytics", C::kDelete, kUser, kOwnInterview,
       ""},

      // Achievements and streaks are written by hooks only (which run as the service).
      {"Users can view own achievements", "achievements", C::kSelect, kUser, kOwnRow, ""},
      {"Users can view own streaks", "streaks", C::kSelect, kUser, kOwnRow, ""},

      {"Users can view own progress", "user_progress", C::kSelect, kUser, kOwnRow, ""},
      {"Users can insert own progress", "user_progress", C::kInsert, kUser, "", kOwnRow},
      {"Users can update own progress", "user_progress", C::kUpdate, kUser, kOwnRow, kOwnRow},
      {"Users can delete own progress", "user_progress", C::kDelete, kUser, kOwnRow, ""},

      {"Leaderboard is viewable by everyone", "leaderboard", C::kSelect, kEveryone, "1", ""},

      // Storage (Supabase's storage.objects / storage.buckets). Buckets have no insert, update
      // or delete rows: managing them is the service's alone.
      {"Users can upload own interview audio", "storage_objects", C::kInsert, kUser, "", kOwnAudio},
      {"Users can read own interview audio", "storage_objects", C::kSelect, kUser, kOwnAudio, ""},
      {"Users can update own interview audio", "storage_objects", C::kUpdate, kUser, kOwnAudio,
       kOwnAudio},
      {"Users can delete own interview audio", "storage_objects", C::kDelete, kUser, kOwnAudio, ""},
      {"Public bucket objects are readable by everyone", "storage_objects", C::kSelect, kEveryone,
       kInPublicBucket, ""},
      {"Users can see the interview-audio bucket", "storage_buckets", C::kSelect, kUser,
       "$t.id = 'interview-audio'", ""},
      {"Public buckets are visible to everyone", "storage_buckets", C::kSelect, kEveryone,
       "$t.public", ""},
  };
  return kPolicies;
}

const std::vector<ProtectedColumns>& AllProtectedColumns() {
  static const std::vector<ProtectedColumns> kProtected = {
      {"profiles",
       {"total_interviews", "completed_interviews", "average_score", "total_xp", "level",
        "streak_days", "last_activity_date"}},
      {"interview_sessions", {"feedback_id"}},
      // The profile's email is the auth user's, kept in sync by the new-user and email-change
      // hooks: a user may write only that one value (inserting their own profile, or writing
      // it back unchanged), so nobody can squat another person's address and block their
      // sign-up with a 409.
      {"profiles", {"email"}, "$t.email IS (SELECT email FROM auth_users WHERE id = :uid)"},
  };
  return kProtected;
}

}  // namespace ib::storage::guards
