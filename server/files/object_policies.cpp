// The storage RLS page: domain.md §5 as rows. A signed-in user may upload, read, overwrite,
// list and delete objects under "<their uid>/" in the private `interview-audio` bucket and
// nothing else there; public buckets are readable (download, info, list, signed URLs) by
// everyone, anon included; only service_role writes anywhere else or manages buckets.
#include "server/files/object_policies.h"

namespace ib::files {
namespace {

constexpr const char* kInterviewAudio = "interview-audio";

using C = ObjectCommand;

unsigned RoleBit(storage::Role role) {
  switch (role) {
    case storage::Role::kAnon: return kAnonRole;
    case storage::Role::kAuthenticated: return kUserRole;
    case storage::Role::kServiceRole: return 0;  // never needs a row
  }
  return 0;
}

bool BucketMatches(const char* bucket, bool public_buckets, const BucketFacts& facts) {
  if (bucket != nullptr) return facts.id == bucket;
  return public_buckets && facts.is_public;
}

}  // namespace

const std::vector<ObjectPolicy>& AllObjectPolicies() {
  static const std::vector<ObjectPolicy> kPolicies = {
      // name                                        command     roles     bucket  public  path
      {"Users can upload own interview audio", C::kInsert, kUserRole, kInterviewAudio, false,
       PathRule::kOwnFolder},
      {"Users can read own interview audio", C::kSelect, kUserRole, kInterviewAudio, false,
       PathRule::kOwnFolder},
      {"Users can update own interview audio", C::kUpdate, kUserRole, kInterviewAudio, false,
       PathRule::kOwnFolder},
      {"Users can delete own interview audio", C::kDelete, kUserRole, kInterviewAudio, false,
       PathRule::kOwnFolder},
      {"Public bucket objects are readable by everyone", C::kSelect, kEveryone, nullptr, true,
       PathRule::kAnyKey},
  };
  return kPolicies;
}

const std::vector<BucketPolicy>& AllBucketPolicies() {
  static const std::vector<BucketPolicy> kPolicies = {
      {"Users can see the interview-audio bucket", kUserRole, kInterviewAudio, false},
      {"Public buckets are visible to everyone", kEveryone, nullptr, true},
  };
  return kPolicies;
}

bool IsInOwnFolder(std::string_view uid, std::string_view key) {
  return !uid.empty() && key.size() > uid.size() + 1 && key.compare(0, uid.size(), uid) == 0 &&
         key[uid.size()] == '/';
}

bool MayAccessObject(const storage::Principal& who, ObjectCommand command,
                     const BucketFacts& bucket, std::string_view key) {
  if (who.is_service()) return true;  // service_role bypasses every policy, as in Supabase
  const unsigned role = RoleBit(who.role);
  for (const auto& p : AllObjectPolicies()) {
    if (p.command != command || (p.roles & role) == 0) continue;
    if (!BucketMatches(p.bucket, p.public_buckets, bucket)) continue;
    if (p.path == PathRule::kOwnFolder && !IsInOwnFolder(who.user_id, key)) continue;
    return true;
  }
  return false;
}

bool MaySeeBucket(const storage::Principal& who, const BucketFacts& bucket) {
  if (who.is_service()) return true;
  const unsigned role = RoleBit(who.role);
  for (const auto& p : AllBucketPolicies()) {
    if ((p.roles & role) != 0 && BucketMatches(p.bucket, p.public_buckets, bucket)) return true;
  }
  return false;
}

bool MayManageBuckets(const storage::Principal& who) { return who.is_service(); }

}  // namespace ib::files
