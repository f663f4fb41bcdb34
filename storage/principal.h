// Principal: who is asking, as guards, hooks and RPCs see it. Built by server/auth from the
// verified JWT; `service_role` bypasses every guard, as in Supabase.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "storage/role.h"

namespace ib::storage {

struct Principal {
  Role role = Role::kAnon;
  std::string user_id;  // the token's `sub` ("" for anon and most service keys)
  // The verified claims (an object; null for anon without a token). Initialised through
  // json's value_t constructor, which may allocate, so that Principal's implicit default
  // constructor is not declared noexcept on the strength of json's noexcept null constructor.
  nlohmann::json claims = nlohmann::json::value_t::null;

  bool is_service() const { return role == Role::kServiceRole; }
  bool is_anon() const { return role == Role::kAnon; }
};

}  // namespace ib::storage
