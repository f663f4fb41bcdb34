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
#include <string>
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

// A refusal of hostile input is the client's fault (4xx) and renders as a JSON object. The
// body is rendered once and validated without building a tree: the filter target refuses up to
// a dozen casts per input, and rendering it three times (once per check's detail) and parsing it
// into a DOM took two thirds of that target's time.
inline void CheckClientError(const storage::Error& e) {
  const std::string body = e.ToJson();
  Check(e.status() >= 400 && e.status() < 500, "refusal is not a 4xx", body);
  Check(!body.empty() && body.front() == '{' && nlohmann::json::accept(body),
        "error body is not a JSON object", body);
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace ib::fuzz
