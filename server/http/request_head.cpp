#include "server/http/request_head.h"

#include <array>
#include <cctype>

namespace ib::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";

HeadParse Refuse(int status, std::string reason) {
  HeadParse out;
  out.refusal = HeadRefusal{status, std::move(reason)};
  return out;
}

// ASCII case folding, as the C locale's tolower does, without a library call per byte (a
// head's header names are compared with a dozen names each).
constexpr unsigned char AsciiLower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + ('a' - 'A')) : c;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(static_cast<unsigned char>(a[i])) !=
        AsciiLower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// RFC 9110 token characters (method and header names), as a table: ASCII letters and digits
// and "!#$%&'*+-.^_`|~".
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool IsTokenChar(unsigned char c) { return kTokenChars[c]; }

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The methods cpp-httplib routes; anything else it would refuse after we passed it on.
bool IsKnownMethod(std::string_view m) {
  static constexpr std::array<std::string_view, 10> kMethods = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"};
  for (auto known : kMethods) {
    if (m == known) return true;
  }
  return false;
}

std::optional<HeadRefusal> ParseRequestLine(std::string_view line, const HeadLimits& limits,
                                            RequestHead& out) {
  if (line.size() + kCrlf.size() > limits.max_request_line) {
    return HeadRefusal{414, "request line too long"};
  }
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return HeadRefusal{400, "malformed request line"};
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method) || !IsKnownMethod(method)) return HeadRefusal{400, "unknown method"};
  if (target.empty()) return HeadRefusal{400, "empty request target"};
  for (char c : target) {
    if (IsControl(static_cast<unsigned char>(c))) {
      return HeadRefusal{400, "control character in request target"};
    }
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return HeadRefusal{400, "unsupported HTTP version"};
  }
  out.method = std::string(method);
  out.target = std::string(target);
  out.version = std::string(version);
  return std::nullopt;
}

std::optional<HeadRefusal> ParseHeaderLine(std::string_view line, const HeadLimits& limits,
                                           RequestHead& out) {
  if (line.size() + kCrlf.size() > limits.max_header_line) {
    return HeadRefusal{431, "header line too long"};
  }
  if (out.headers.size() >= limits.max_headers) return HeadRefusal{431, "too many headers"};
  if (line.front() == ' ' || line.front() == '\t') {
    return HeadRefusal{400, "folded header line"};
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return HeadRefusal{400, "header line without a colon"};
  std::string_view name = line.substr(0, colon);
  if (!IsToken(name)) return HeadRefusal{400, "malformed header name"};
  std::string_view value = TrimBlanks(line.substr(colon + 1));
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (IsControl(u) && u != '\t') return HeadRefusal{400, "control character in header value"};
  }
  out.headers.emplace_back(std::string(name), std::string(value));
  return std::nullopt;
}

// Content-Length: digits only, at most 18 of them (so no overflow), every copy the same.
std::optional<HeadRefusal> ParseContentLength(std::string_view value, RequestHead& out) {
  if (value.empty() || value.size() > 18) return HeadRefusal{400, "invalid Content-Length"};
  uint64_t n = 0;
  for (char c : value) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return HeadRefusal{400, "invalid Content-Length"};
    }
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (out.framing == BodyFraming::kLength && out.content_length != n) {
    return HeadRefusal{400, "conflicting Content-Length headers"};
  }
  out.framing = BodyFraming::kLength;
  out.content_length = n;
  return std::nullopt;
}

// Whether a comma-separated header value lists `token` (case-insensitively).
bool ListsToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (EqualsIgnoreCase(TrimBlanks(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// Body framing and connection persistence from the parsed headers.
std::optional<HeadRefusal> ApplyFraming(RequestHead& out) {
  int transfer_encodings = 0;
  int hosts = 0;
  bool chunked = false;
  bool close = false;
  bool keep_alive_token = false;
  for (const auto& [name, value] : out.headers) {
    if (EqualsIgnoreCase(name, "Content-Length")) {
      if (auto refusal = ParseContentLength(value, out)) return refusal;
    } else if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
      ++transfer_encodings;
      chunked = EqualsIgnoreCase(value, "chunked");
    } else if (EqualsIgnoreCase(name, "Host")) {
      ++hosts;
    } else if (EqualsIgnoreCase(name, "Connection")) {
      close = close || ListsToken(value, "close");
      keep_alive_token = keep_alive_token || ListsToken(value, "keep-alive");
    }
  }
  if (hosts > 1) return HeadRefusal{400, "more than one Host header"};
  if (transfer_encodings > 0) {
    // Two framings, or one an HTTP/1.0 peer cannot mean, is how requests get smuggled.
    if (out.framing == BodyFraming::kLength) {
      return HeadRefusal{400, "both Content-Length and Transfer-Encoding"};
    }
    if (out.version == "HTTP/1.0") return HeadRefusal{400, "Transfer-Encoding in HTTP/1.0"};
    if (transfer_encodings > 1 || !chunked) {
      return HeadRefusal{400, "only the chunked transfer coding is supported"};
    }
    out.framing = BodyFraming::kChunked;
  }
  out.keep_alive = out.version == "HTTP/1.1" ? !close : keep_alive_token && !close;
  return std::nullopt;
}

bool IsServerSetHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kServerSet = {
      "REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT", kRowRangeHeader};
  for (auto s : kServerSet) {
    if (EqualsIgnoreCase(name, s)) return true;
  }
  return false;
}

}  // namespace

size_t FindHeadEnd(std::string_view bytes, size_t from) {
  size_t start = from > 3 ? from - 3 : 0;
  size_t pos = bytes.find("\r\n\r\n", start);
  return pos == std::string_view::npos ? pos : pos + 4;
}

int OversizedHeadStatus(std::string_view bytes, const HeadLimits& limits) {
  size_t eol = bytes.find(kCrlf);
  bool line_unfinished = eol == std::string_view::npos;
  size_t line_bytes = line_unfinished ? bytes.size() : eol + kCrlf.size();
  return line_bytes > limits.max_request_line ? 414 : 431;
}

HeadParse ParseRequestHead(std::string_view head, const HeadLimits& limits) {
  if (head.size() > limits.max_head_bytes) return Refuse(431, "request head too large");
  if (head.size() < 4 || head.substr(head.size() - 4) != "\r\n\r\n") {
    return Refuse(400, "incomplete request head");
  }
  RequestHead out;
  std::string_view rest = head.substr(0, head.size() - 2);  // each line keeps its CRLF
  bool first = true;
  while (!rest.empty()) {
    size_t eol = rest.find(kCrlf);
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol + kCrlf.size());
    // A bare CR or LF inside a line is where lenient parsers split lines differently. (Two
    // scans for one byte each: find_first_of looks each byte up in the set, ~20 instructions
    // a byte.)
    if (line.find('\r') != std::string_view::npos || line.find('\n') != std::string_view::npos) {
      return Refuse(400, "bare CR or LF in request head");
    }
    if (first) {
      if (auto refusal = ParseRequestLine(line, limits, out))
        return Refuse(refusal->status, refusal->reason);
      first = false;
      continue;
    }
    if (line.empty()) return Refuse(400, "empty header line");
    if (auto refusal = ParseHeaderLine(line, limits, out))
      return Refuse(refusal->status, refusal->reason);
  }
  if (first) return Refuse(400, "empty request line");
  if (auto refusal = ApplyFraming(out)) return Refuse(refusal->status, refusal->reason);
  HeadParse parsed;
  parsed.head = std::move(out);
  return parsed;
}

std::string RenderHead(const RequestHead& head) {
  std::string out;
  RenderHeadInto(head, out);
  return out;
}

bool HttplibReadsHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kRead = {
      "Range", "Expect", "Content-Type", "Content-Encoding", "Accept-Encoding", "Origin"};
  for (auto s : kRead) {
    if (EqualsIgnoreCase(name, s)) return true;
  }
  return false;
}

std::optional<std::string_view> RenderedHeaderName(std::string_view name, std::string_view value) {
  if (IsServerSetHeader(name) || EqualsIgnoreCase(name, "Content-Length") ||
      EqualsIgnoreCase(name, "Transfer-Encoding") || EqualsIgnoreCase(name, "Connection")) {
    return std::nullopt;
  }
  if (EqualsIgnoreCase(name, "Range") && !StartsWithIgnoreCase(value, "bytes=")) {
    return kRowRangeHeader;
  }
  return name;
}

void RenderHeadInto(const RequestHead& head, std::string& out, HeadersRendered which) {
  out.clear();
  out.reserve(head.target.size() + 64 * (head.headers.size() + 1));
  out.append(head.method).append(" ").append(head.target).append(" ").append(head.version);
  out.append(kCrlf);
  for (const auto& [name, value] : head.headers) {
    std::optional<std::string_view> rendered = RenderedHeaderName(name, value);
    if (!rendered) continue;
    if (which == HeadersRendered::kHttplibOnly && !HttplibReadsHeader(*rendered)) continue;
    out.append(*rendered).append(": ").append(value).append(kCrlf);
  }
  if (head.framing == BodyFraming::kLength) {
    out.append("Content-Length: ").append(std::to_string(head.content_length)).append(kCrlf);
  } else if (head.framing == BodyFraming::kChunked) {
    out.append("Transfer-Encoding: chunked").append(kCrlf);
  }
  // httplib compares Connection with "close" and "Keep-Alive" literally: say it that way.
  out.append(head.keep_alive ? "Connection: Keep-Alive" : "Connection: close").append(kCrlf);
  out.append(kCrlf);
}

}  // namespace ib::http
