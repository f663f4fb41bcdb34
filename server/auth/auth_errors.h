// The auth service's name for GoTrue's error factories, which live in the one error table
// (storage/error_auth.h): `errors::BadJson(...)` inside ib::auth.
#pragma once

#include "storage/error_auth.h"

namespace ib::auth {

using errors = storage::Error::Auth;

}  // namespace ib::auth
