// The database roles a request runs as (Supabase's anon, authenticated, service_role) and
// RoleSet, the set of roles a guard row or an RPC applies to. The one spelling of roles in
// the project: guards, RPCs and storage policies all use these. Pure values; thread-safe.
#pragma once

#include <initializer_list>

namespace ib::storage {

enum class Role { kAnon, kAuthenticated, kServiceRole };

inline const char* RoleName(Role role) {
  switch (role) {
    case Role::kAnon:
      return "anon";
    case Role::kAuthenticated:
      return "authenticated";
    case Role::kServiceRole:
      return "service_role";
  }
  return "anon";
}

class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= Bit(r);
  }

  constexpr bool Contains(Role role) const { return (bits_ & Bit(role)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  friend constexpr bool operator==(RoleSet a, RoleSet b) { return a.bits_ == b.bits_; }
  friend constexpr bool operator!=(RoleSet a, RoleSet b) { return a.bits_ != b.bits_; }

 private:
  static constexpr unsigned Bit(Role role) { return 1U << static_cast<unsigned>(role); }

  unsigned bits_ = 0;
};

}  // namespace ib::storage
