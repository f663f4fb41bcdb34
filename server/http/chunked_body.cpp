#include "server/http/chunked_body.h"

#include <algorithm>

namespace ib::http {
namespace {

constexpr int kMaxSizeDigits = 15;  // < 2^60: no overflow when adding up chunk sizes

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

size_t ChunkedBodyScanner::Scan(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size() && state_ == State::kInBody) {
    if (step_ == Step::kData) {
      // Payload bytes pass in bulk; only the framing around them is looked at byte by byte.
      uint64_t take = std::min<uint64_t>(chunk_left_, bytes.size() - i);
      i += static_cast<size_t>(take);
      chunk_left_ -= take;
      if (chunk_left_ == 0) step_ = Step::kDataCr;
      continue;
    }
    if (!Advance(bytes[i])) return i;
    ++i;
  }
  return i;
}

bool ChunkedBodyScanner::Advance(char c) {
  auto fail = [this](State why) {
    state_ = why;
    return false;
  };
  switch (step_) {
    case Step::kSize: {
      int v = HexValue(c);
      if (v >= 0) {
        if (++size_digits_ > kMaxSizeDigits) return fail(State::kMalformed);
        chunk_left_ = chunk_left_ * 16 + static_cast<uint64_t>(v);
        return true;
      }
      if (size_digits_ == 0) return fail(State::kMalformed);
      if (c == ';') {
        step_ = Step::kExtension;
      } else if (c == '\r') {
        step_ = Step::kSizeLf;
      } else {
        return fail(State::kMalformed);
      }
      return true;
    }
    case Step::kExtension:
      if (c == '\r') {
        step_ = Step::kSizeLf;
      } else if (c == '\n' || (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        return fail(State::kMalformed);
      }
      return true;
    case Step::kSizeLf:
      if (c != '\n') return fail(State::kMalformed);
      size_digits_ = 0;
      if (chunk_left_ == 0) {
        step_ = Step::kLastCr;
        return true;
      }
      if (chunk_left_ > max_data_ - std::min(max_data_, data_bytes_)) {
        return fail(State::kTooLarge);
      }
      data_bytes_ += chunk_left_;
      step_ = Step::kData;
      return true;
    case Step::kData:
      return true;  // handled in bulk by Scan()
    case Step::kDataCr:
      if (c != '\r') return fail(State::kMalformed);
      step_ = Step::kDataLf;
      return true;
    case Step::kDataLf:
      if (c != '\n') return fail(State::kMalformed);
      step_ = Step::kSize;
      return true;
    case Step::kLastCr:
      if (c != '\r') return fail(State::kMalformed);  // trailers are not supported
      step_ = Step::kLastLf;
      return true;
    case Step::kLastLf:
      if (c != '\n') return fail(State::kMalformed);
      state_ = State::kDone;
      return true;
  }
  return fail(State::kMalformed);
}

}  // namespace ib::http
