// Shared by the libFuzzer targets (tests/fuzz/*_fuzz.cpp): the checks every target makes on
// what it got back. A failed check prints the reason and aborts, which libFuzzer reports as a
// crash with the input saved; a target never catches anything but storage::Error, so any other
// exception escaping the code under test is reported the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "storage/error.h"

namespace ib::fuzz {

[[noreturn]] inline void Fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz check failed: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

inline void Check(bool ok, const char* what, std::string_view detail = {}) {
  if (!ok) Fail(what, detail);
}

// A refusal of hostile input is the client's fault (4xx) and renders as a JSON object.
inline void CheckClientError(const storage::Error& e) {
  Check(e.status() >= 400 && e.status() < 500, "refusal is not a 4xx", e.ToJson());
  auto body = nlohmann::json::parse(e.ToJson(), nullptr, false);
  Check(body.is_object(), "error body is not a JSON object", e.ToJson());
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace ib::fuzz
