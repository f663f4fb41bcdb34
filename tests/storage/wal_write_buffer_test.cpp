// WalWriteBuffer: a transaction's frames reach the file in two writes, at its commit frame;
// the bytes in the file are those the writes would have left one by one; anything but a
// frame written as SQLite writes it goes through at once, after what is held; a failed write
// fails the call that flushed it; no write to the file is longer than SQLite's unix VFS takes.
// (tests/storage/shared_map_vfs_test.cpp checks the same through SQLite: what a commit wrote is in
// the file when COMMIT returns.)
#include "storage/wal_write_buffer.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ib::storage::wal_write_buffer_test {

constexpr int kPage = 512;
constexpr int kFrame = 24 + kPage;

// A file in memory that records each write reaching it.
struct FakeFile {
  sqlite3_file base;
  std::string bytes;
  std::vector<std::pair<int64_t, int>> writes;  // offset, length
  int fail_with = SQLITE_OK;                    // the next write's result, when not OK

  static int Write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    auto* self = reinterpret_cast<FakeFile*>(f);
    if (self->fail_with != SQLITE_OK) return std::exchange(self->fail_with, SQLITE_OK);
    self->writes.emplace_back(offset, amount);
    const auto end = static_cast<size_t>(offset) + static_cast<size_t>(amount);
    if (self->bytes.size() < end) self->bytes.resize(end, '\0');
    self->bytes.replace(static_cast<size_t>(offset), static_cast<size_t>(amount),
                        static_cast<const char*>(data), static_cast<size_t>(amount));
    return SQLITE_OK;
  }
};

const sqlite3_io_methods kFakeMethods = [] {
  sqlite3_io_methods m{};
  m.iVersion = 1;
  m.xWrite = FakeFile::Write;
  return m;
}();

void PutBigEndian(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
}

std::string WalHeader(uint32_t page_size) {
  std::string h(32, '\x01');
  PutBigEndian(h, 8, page_size);
  return h;
}

// A frame's header: the page number, and the database's size in pages when it ends a commit.
std::string FrameHeader(uint32_t page, uint32_t commit_size) {
  std::string h(24, '\x02');
  PutBigEndian(h, 0, page);
  PutBigEndian(h, 4, commit_size);
  return h;
}

std::string Page(char fill) { return std::string(kPage, fill); }

int64_t FrameAt(int frame) { return 32 + int64_t{frame} * kFrame; }  // frames from 0

struct Fixture {
  FakeFile file;
  FakeFile expected;  // the same writes, each made as it came
  WalWriteBuffer buffer{&file.base};

  Fixture() {
    file.base.pMethods = &kFakeMethods;
    expected.base.pMethods = &kFakeMethods;
  }

  int Write(const std::string& data, int64_t offset) {
    FakeFile::Write(&expected.base, data.data(), static_cast<int>(data.size()), offset);
    return buffer.Write(data.data(), static_cast<int>(data.size()), offset);
  }

  // Frame `frame` (from 0) as SQLite writes it: its header, then its page of `fill`.
  void WriteFrame(int frame, uint32_t page, uint32_t commit_size, char fill) {
    REQUIRE(Write(FrameHeader(page, commit_size), FrameAt(frame)) == SQLITE_OK);
    REQUIRE(Write(Page(fill), FrameAt(frame) + 24) == SQLITE_OK);
  }
};

TEST_CASE("wal write buffer: a commit's frames reach the file in two writes") {
  Fixture f;
  REQUIRE(f.Write(WalHeader(kPage), 0) == SQLITE_OK);
  CHECK(f.file.writes.size() == 1);  // the WAL's header goes at once
  for (int i = 0; i < 3; ++i) f.WriteFrame(i, 10 + i, 0, static_cast<char>('a' + i));
  CHECK(f.file.writes.size() == 1);  // held
  CHECK(f.buffer.held_bytes() == 3 * kFrame);
  REQUIRE(f.Write(FrameHeader(13, 40), FrameAt(3)) == SQLITE_OK);
  // The three frames and the commit frame's header: one write.
  REQUIRE(f.file.writes.size() == 2);
  CHECK(f.file.writes[1] == std::pair<int64_t, int>{FrameAt(0), 3 * kFrame + 24});
  REQUIRE(f.Write(Page('d'), FrameAt(3) + 24) == SQLITE_OK);
  CHECK(f.file.writes.size() == 3);  // the commit frame's page goes at once
  CHECK(f.buffer.held_bytes() == 0);
  CHECK(f.file.bytes == f.expected.bytes);

  // The next transaction appends and is gathered the same way.
  f.WriteFrame(4, 20, 0, 'e');
  f.WriteFrame(5, 21, 41, 'f');
  CHECK(f.file.writes.size() == 5);
  CHECK(f.file.bytes == f.expected.bytes);
}

TEST_CASE("wal write buffer: anything else goes through at once, after what is held") {
  Fixture f;
  REQUIRE(f.Write(WalHeader(kPage), 0) == SQLITE_OK);
  f.WriteFrame(0, 10, 0, 'a');
  f.WriteFrame(1, 11, 0, 'b');
  CHECK(f.file.writes.size() == 1);

  SUBCASE("a page rewritten in place (the same page changed again in the transaction)") {
    REQUIRE(f.Write(Page('A'), FrameAt(0) + 24) == SQLITE_OK);
    REQUIRE(f.file.writes.size() == 3);
    CHECK(f.file.writes[1] == std::pair<int64_t, int>{FrameAt(0), 2 * kFrame});
    CHECK(f.file.writes[2] == std::pair<int64_t, int>{FrameAt(0) + 24, kPage});
  }
  SUBCASE("a frame header rewritten in place (SQLite's checksum rewrite)") {
    REQUIRE(f.Write(FrameHeader(10, 0), FrameAt(0)) == SQLITE_OK);
    // It does not continue what is held: that goes out, and the header is held anew.
    CHECK(f.file.writes.size() == 2);
    CHECK(f.buffer.held_bytes() == 24);
    // A commit frame's header rewritten alone (the last one such a rewrite writes) goes out
    // at once, after what is held: SQLite may publish the commit right after it.
    REQUIRE(f.Write(FrameHeader(11, 40), FrameAt(1)) == SQLITE_OK);
    CHECK(f.buffer.held_bytes() == 0);
    CHECK(f.file.writes.size() == 4);
  }
  SUBCASE("a write of another size, or not at a frame's boundary") {
    REQUIRE(f.Write(std::string(100, 'x'), FrameAt(2) + 7) == SQLITE_OK);
    CHECK(f.file.writes.size() == 3);
  }
  SUBCASE("the WAL's header (the log starts over)") {
    REQUIRE(f.Write(WalHeader(kPage), 0) == SQLITE_OK);
    CHECK(f.file.writes.size() == 3);
  }
  SUBCASE("an explicit flush (the VFS's other calls)") {
    REQUIRE(f.buffer.Flush() == SQLITE_OK);
    CHECK(f.file.writes.size() == 2);
    REQUIRE(f.buffer.Flush() == SQLITE_OK);
    CHECK(f.file.writes.size() == 2);  // nothing held: no write
  }
  CHECK(f.buffer.held_bytes() <= 24);
  REQUIRE(f.buffer.Flush() == SQLITE_OK);
  CHECK(f.file.bytes == f.expected.bytes);
}

TEST_CASE("wal write buffer: nothing is held before the page size is known") {
  Fixture f;
  // A WAL this connection found with frames in it: it appends without writing a header.
  f.WriteFrame(0, 10, 0, 'a');
  CHECK(f.file.writes.size() == 2);
  // A header naming no valid page size leaves it unknown.
  REQUIRE(f.Write(WalHeader(1000), 0) == SQLITE_OK);
  REQUIRE(f.Write(FrameHeader(10, 0), FrameAt(0)) == SQLITE_OK);
  CHECK(f.file.writes.size() == 4);
  CHECK(f.buffer.held_bytes() == 0);
}

TEST_CASE("wal write buffer: a large transaction goes out in bounded writes") {
  Fixture f;
  REQUIRE(f.Write(WalHeader(kPage), 0) == SQLITE_OK);
  const int frames = static_cast<int>(WalWriteBuffer::kMaxHeldBytes / kFrame) + 10;
  for (int i = 0; i < frames; ++i) {
    f.WriteFrame(i, static_cast<uint32_t>(i + 2), 0, static_cast<char>('a' + i % 26));
    CHECK(f.buffer.held_bytes() <= WalWriteBuffer::kMaxHeldBytes);
  }
  // Once past kMaxHeldBytes, what was held went out, in writes no longer than the unix VFS
  // takes; the rest is still held.
  CHECK(f.file.writes.size() > 2);
  CHECK(f.buffer.held_bytes() > 0);
  REQUIRE(f.buffer.Flush() == SQLITE_OK);
  for (const auto& [offset, length] : f.file.writes) {
    CHECK(static_cast<size_t>(length) <= WalWriteBuffer::kMaxWriteBytes);
  }
  CHECK(f.file.bytes == f.expected.bytes);
}

TEST_CASE("wal write buffer: a failed write of held frames fails the call that made it") {
  Fixture f;
  REQUIRE(f.Write(WalHeader(kPage), 0) == SQLITE_OK);
  f.WriteFrame(0, 10, 0, 'a');
  f.file.fail_with = SQLITE_FULL;
  SUBCASE("the commit frame's header") {
    CHECK(f.buffer.Write(FrameHeader(11, 40).data(), 24, FrameAt(1)) == SQLITE_FULL);
  }
  SUBCASE("a flush before another call") { CHECK(f.buffer.Flush() == SQLITE_FULL); }
  SUBCASE("a write that goes through") {
    const std::string odd(10, 'x');
    CHECK(f.buffer.Write(odd.data(), 10, 5) == SQLITE_FULL);
    CHECK(f.file.writes.size() == 1);  // nor was the write itself made
  }
  CHECK(f.buffer.held_bytes() == 0);  // dropped: SQLite fails the transaction
}

}  // namespace ib::storage::wal_write_buffer_test
