#include "storage/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>

namespace ib::storage {

namespace {

// The WAL file format (https://sqlite.org/fileformat2.html#walformat).
constexpr int64_t kWalHeaderBytes = 32;
constexpr int kFrameHeaderBytes = 24;

uint32_t BigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// A page size a WAL header may carry: a power of two from 512 to 65536.
bool ValidPageSize(uint32_t size) {
  return size >= 512 && size <= 65536 && (size & (size - 1)) == 0;
}

}  // namespace

int WalWriteBuffer::Write(const void* data, int amount, int64_t offset) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  if (offset == 0 && amount >= kWalHeaderBytes) {
    // The WAL's header (SQLite starts the log over): it names the page size.
    const uint32_t size = BigEndian32(bytes + 8);
    page_size_ = ValidPageSize(size) ? size : 0;
    return WriteThrough(data, amount, offset);
  }
  if (IsFrameHeader(amount, offset)) {
    // Bytes 4-7 of a frame's header: the database's size in pages for a commit frame, else 0.
    const bool commit = BigEndian32(bytes + 4) != 0;
    if (const int rc = Hold(data, amount, offset); rc != SQLITE_OK || !commit) return rc;
    // The end of a transaction: it goes out now, with everything held before it.
    return Flush();
  }
  // The page of a frame whose header is the last thing held.
  if (amount == page_size_ && !held_.empty() && held_end() == offset &&
      IsFrameHeader(kFrameHeaderBytes, offset - kFrameHeaderBytes)) {
    return Hold(data, amount, offset);
  }
  return WriteThrough(data, amount, offset);
}

int WalWriteBuffer::Flush() {
  int rc = SQLITE_OK;
  for (size_t done = 0; done < held_.size() && rc == SQLITE_OK;) {
    const size_t chunk = std::min(held_.size() - done, kMaxWriteBytes);
    rc = file_->pMethods->xWrite(file_, held_.data() + done, static_cast<int>(chunk),
                                 held_start_ + static_cast<int64_t>(done));
    done += chunk;
  }
  held_.clear();  // keeps its capacity for the next transaction
  return rc;
}

int WalWriteBuffer::WriteThrough(const void* data, int amount, int64_t offset) {
  if (const int rc = Flush(); rc != SQLITE_OK) return rc;
  return file_->pMethods->xWrite(file_, data, amount, offset);
}

int WalWriteBuffer::Hold(const void* data, int amount, int64_t offset) {
  // A write that does not continue what is held, or would hold too much, sends that out
  // first; if that fails, so does this write (and with it SQLite's transaction).
  if (!held_.empty() &&
      (held_end() != offset || held_.size() + static_cast<size_t>(amount) > kMaxHeldBytes)) {
    if (const int rc = Flush(); rc != SQLITE_OK) return rc;
  }
  if (held_.empty()) held_start_ = offset;
  const auto* bytes = static_cast<const char*>(data);
  held_.insert(held_.end(), bytes, bytes + amount);
  return SQLITE_OK;
}

bool WalWriteBuffer::IsFrameHeader(int amount, int64_t offset) const {
  if (page_size_ == 0 || amount != kFrameHeaderBytes || offset < kWalHeaderBytes) return false;
  return (offset - kWalHeaderBytes) % (page_size_ + kFrameHeaderBytes) == 0;
}

}  // namespace ib::storage
