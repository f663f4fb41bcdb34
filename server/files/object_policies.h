// Who may do what in /storage/v1: the storage.objects / storage.buckets RLS page of the project.
// Every rule is one row in object_policies.cpp (named like the Postgres policy would be); rows
// OR together, a missing row means deny, and service_role bypasses everything in one visible
// line. Pure functions of (principal, bucket, key): no database, no HTTP; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "storage/principal.h"

namespace ib::files {

enum class ObjectCommand { kSelect, kInsert, kUpdate, kDelete };

enum class PathRule {
  kAnyKey,     // every object of the bucket
  kOwnFolder,  // keys starting with "<auth.uid()>/"
};

inline constexpr unsigned kAnonRole = 1;
inline constexpr unsigned kUserRole = 2;
inline constexpr unsigned kEveryone = kAnonRole | kUserRole;

// One rule. `bucket` names one bucket; nullptr with `public_buckets` means every public bucket.
struct ObjectPolicy {
  const char* name;
  ObjectCommand command;
  unsigned roles;
  const char* bucket;
  bool public_buckets;
  PathRule path;
};

// One bucket-visibility rule (storage.buckets SELECT); same matching as ObjectPolicy.
struct BucketPolicy {
  const char* name;
  unsigned roles;
  const char* bucket;
  bool public_buckets;
};

// What a rule needs to know about the bucket.
struct BucketFacts {
  std::string_view id;
  bool is_public = false;
};

const std::vector<ObjectPolicy>& AllObjectPolicies();
const std::vector<BucketPolicy>& AllBucketPolicies();

// True when `key` lies in the folder of user `uid` ("<uid>/..."); false for an empty uid.
bool IsInOwnFolder(std::string_view uid, std::string_view key);

bool MayAccessObject(const storage::Principal& who, ObjectCommand command,
                     const BucketFacts& bucket, std::string_view key);
bool MaySeeBucket(const storage::Principal& who, const BucketFacts& bucket);
// Creating, updating, emptying and deleting buckets: no policy row grants it; service only.
bool MayManageBuckets(const storage::Principal& who);

}  // namespace ib::files
