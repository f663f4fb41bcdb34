// Strict UTF-8 (RFC 3629: shortest forms only, no surrogates, at most U+10FFFF), for text that
// must be valid before it leaves the server: object keys are checked with it, and error messages
// that echo request bytes are repaired with it so every error body is valid JSON. Pure,
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ib::storage {

// Length of the UTF-8 sequence starting at s[i] (1-4), 0 when it is not a valid one.
size_t Utf8SequenceLength(std::string_view s, size_t i);

// `s` with every byte that starts no valid sequence replaced by U+FFFD, as a lenient decoder
// (a browser's TextDecoder) would read it.
std::string ToValidUtf8(std::string_view s);

}  // namespace ib::storage
