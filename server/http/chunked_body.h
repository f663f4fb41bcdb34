// ChunkedBodyScanner: follows the framing of a chunked request body as its bytes pass by,
// so the connection knows where the body ends (the next pipelined request starts there), how
// many data bytes it carries (the body limit counts them), and whether it is malformed. Pure,
// incremental, O(1) state; it never copies or decodes the data. No trailers: the zero chunk
// must be followed by the final CRLF, which is all cpp-httplib 0.11 reads after it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ib::http {

class ChunkedBodyScanner {
 public:
  enum class State { kInBody, kDone, kMalformed, kTooLarge };

  // `max_data_bytes`: the most data bytes (chunk payloads) the body may carry.
  explicit ChunkedBodyScanner(uint64_t max_data_bytes) : max_data_(max_data_bytes) {}

  // Scans `bytes`, the next bytes of the body, and returns how many of them belong to it: all
  // of them while the body continues, fewer when it ends (kDone) or goes wrong (kMalformed,
  // kTooLarge: the bytes before the fault are returned, the faulty one is not).
  size_t Scan(std::string_view bytes);

  State state() const { return state_; }
  uint64_t data_bytes() const { return data_bytes_; }

 private:
  enum class Step { kSize, kExtension, kSizeLf, kData, kDataCr, kDataLf, kLastCr, kLastLf };

  bool Advance(char c);  // false: fault (state_ says which)

  uint64_t max_data_;
  State state_ = State::kInBody;
  Step step_ = Step::kSize;
  int size_digits_ = 0;
  uint64_t chunk_left_ = 0;
  uint64_t data_bytes_ = 0;
};

}  // namespace ib::http
