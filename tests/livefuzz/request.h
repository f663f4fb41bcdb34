// Request: one HTTP request as the fuzzer builds and mutates it (method, path, query, headers,
// body), and its serialisation to the exact bytes sent. Framing stays well formed (a correct
// Content-Length, no CR/LF inside a head line) so every answer belongs to one request; the
// framing itself is fuzzed elsewhere (the libFuzzer head-reader target).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ib::livefuzz {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string path;  // as sent (already percent-encoded where needed)
  Pairs params;      // raw values; encoded by Serialize() in the request's style
  Pairs headers;
  std::string body;
  bool send_body = false;        // sends Content-Length (and the body) even when empty
  bool no_length = false;        // an empty POST/PUT/PATCH sent without Content-Length
  bool form_encode = true;       // supabase-js (URLSearchParams) style; false = only unsafe bytes
  std::string raw_query_suffix;  // appended after encoding: broken escapes, stray '&', ...

  std::string Target() const;
  std::string Serialize() const;
  // One line for a report: method, target, headers and body with bytes escaped.
  std::string Describe() const;
};

// Percent-encodes `value`: form style escapes all but [A-Za-z0-9*-._] (space as '+'), the
// minimal style only bytes that cannot travel raw in a request line.
std::string EncodeQueryValue(const std::string& value, bool form_style);

// Escapes control and non-ASCII bytes as \xNN for printing.
std::string Printable(const std::string& bytes, size_t max_len = 4000);

}  // namespace ib::livefuzz
