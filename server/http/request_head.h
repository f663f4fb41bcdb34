// The request-head parser: the bytes of one HTTP/1.x request head (request line, header lines,
// blank line) -> method, target, version, headers and body framing, or a refusal carrying the
// status to answer. Pure and bounded: no sockets, no httplib, no allocation beyond the head's
// own size; it is the libFuzzer target for the head reader. RenderHead() writes the parsed head
// back out in the one canonical form httplib then reads, so both always agree on the framing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ib::http {

// The header the REST routes read for row ranges: RenderHead() renames a `Range` request header
// that is not a byte range (PostgREST's `Range: 0-9`) to it, because cpp-httplib 0.11 answers
// any non-`bytes=` Range with 416 before routing (and would slice JSON bodies by bytes).
inline constexpr const char* kRowRangeHeader = "X-Ib-Row-Range";

struct HeadLimits {
  size_t max_head_bytes = size_t{64} * 1024;  // request line + headers + blank line
  size_t max_request_line = 8192;             // past it 414 (cpp-httplib's URI limit)
  size_t max_header_line = 8192;              // past it 431
  size_t max_headers = 100;                   // past it 431
};

enum class BodyFraming { kNone, kLength, kChunked };

struct RequestHead {
  std::string method;
  std::string target;
  std::string version;                                       // "HTTP/1.1" or "HTTP/1.0"
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;  // for kLength
  bool keep_alive = true;       // by version and the Connection header
};

// Why a head was refused and the status to answer: 400, or 414 / 431 for sizes. Never a 5xx:
// an unsupported transfer coding or HTTP version is the client's error here.
struct HeadRefusal {
  int status = 400;
  std::string reason;
};

struct HeadParse {
  std::optional<RequestHead> head;  // set when accepted
  HeadRefusal refusal;              // meaningful when `head` is empty
};

// Where the head in `bytes` ends: the offset just past its blank line ("\r\n\r\n"), or npos
// while incomplete. `from` lets a caller resume scanning bytes it already searched.
size_t FindHeadEnd(std::string_view bytes, size_t from = 0);

// The status for bytes that grew past limits.max_head_bytes without a complete head: 414 while
// the request line itself is still unfinished past its limit, else 431.
int OversizedHeadStatus(std::string_view bytes, const HeadLimits& limits);

// Parses one complete head (as delimited by FindHeadEnd). Strict where lenience lets two
// parsers disagree about where a request ends: CRLF line ends only, no folded lines, no space
// before a header's colon, one Content-Length value (digits), Transfer-Encoding only `chunked`
// and never together with Content-Length.
HeadParse ParseRequestHead(std::string_view head, const HeadLimits& limits);

// The head in canonical form: request line, each header as `Name: value`, blank line. A
// non-byte `Range` is renamed to kRowRangeHeader; headers a client must not set because the
// server sets them (httplib's REMOTE_ADDR and friends, kRowRangeHeader itself) are dropped.
std::string RenderHead(const RequestHead& head);

// Which headers a rendering carries besides the framing (Content-Length or Transfer-Encoding,
// and Connection), which it always carries.
enum class HeadersRendered {
  kAll,
  // Only those httplib itself reads while it serves the request (HttplibReadsHeader). The
  // others reach the handlers without being parsed again (ForEachHandlerHeader): httplib reads
  // a head a byte at a time and URL-decodes every value, about 100 instructions a byte, so
  // two bearer tokens cost more than the rest of a list's HTTP work.
  kHttplibOnly,
};
// RenderHead into `out` (replacing what it held): a connection renders every request's head
// into one buffer, whose memory then serves them all.
void RenderHeadInto(const RequestHead& head, std::string& out,
                    HeadersRendered which = HeadersRendered::kAll);

// The request headers cpp-httplib 0.11 consults itself while serving a request, beyond the
// framing: a byte Range (416 before routing, and the answer's slicing), Expect (100-continue),
// Content-Type (multipart bodies), Content-Encoding (compressed bodies) and Accept-Encoding
// (compressed answers); and Origin, which FramedServer's post-routing step reads for CORS on
// every answer, httplib's own early ones too (a 416 is written before the other headers are
// added).
bool HttplibReadsHeader(std::string_view name);

// The name `name` is rendered under (a non-byte Range becomes kRowRangeHeader), or none for a
// header the rendering drops or writes itself (the server-set ones and the framing).
std::optional<std::string_view> RenderedHeaderName(std::string_view name, std::string_view value);

// Calls fn(name, value) for each header that a kHttplibOnly rendering leaves out, in the
// request's order, under the name RenderHead would give it: with that rendering, they are what
// the handlers must be given besides it.
template <typename Fn>
void ForEachHandlerHeader(const RequestHead& head, Fn&& fn) {
  for (const auto& [name, value] : head.headers) {
    std::optional<std::string_view> rendered = RenderedHeaderName(name, value);
    if (rendered && !HttplibReadsHeader(*rendered)) fn(*rendered, std::string_view(value));
  }
}

}  // namespace ib::http
