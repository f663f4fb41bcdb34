// The storage service's name for Supabase Storage's error factories, which live in the one
// error table (storage/error_files.h): `errors::NoSuchKey()` inside ib::files.
#pragma once

#include "storage/error_files.h"

namespace ib::files {

using errors = storage::Error::Files;

}  // namespace ib::files
