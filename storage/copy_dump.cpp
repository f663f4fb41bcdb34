#include "storage/copy_dump.h"

#include <cctype>

#include "storage/error.h"
#include "storage/utf8.h"

namespace ib::storage {
namespace {

[[noreturn]] void Fail(int line, const std::string& message) {
  throw Error::Internal("line " + std::to_string(line) + ": " + message);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Lines pg_dump (or our export) writes between COPY blocks that carry no data.
bool IsSkippable(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty() || StartsWith(line, "--")) return true;
  for (std::string_view prefix :
       {"SET ", "SELECT pg_catalog.set_config(", "SELECT pg_catalog.setval(", "\\restrict ",
        "\\unrestrict ", "BEGIN;", "COMMIT;", "START TRANSACTION;"}) {
    if (StartsWith(line, prefix)) return true;
  }
  // pg_dump --disable-triggers wraps each block in these.
  return StartsWith(line, "ALTER TABLE ") &&
         (line.find(" DISABLE TRIGGER ALL;") != std::string_view::npos ||
          line.find(" ENABLE TRIGGER ALL;") != std::string_view::npos);
}

class HeaderScanner {
 public:
  HeaderScanner(std::string_view text, int line) : s_(text), line_(line) {}

  void SkipSpaces() {
    while (at_ < s_.size() && s_[at_] == ' ') ++at_;
  }
  bool Eat(char c) {
    SkipSpaces();
    if (at_ < s_.size() && s_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  bool EatWord(std::string_view word) {
    SkipSpaces();
    if (s_.size() - at_ < word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(s_[at_ + i])) != word[i]) return false;
    }
    at_ += word.size();
    return true;
  }
  // A plain identifier (folded to lower case, as Postgres does) or a "quoted" one.
  std::string Identifier() {
    SkipSpaces();
    std::string out;
    if (at_ < s_.size() && s_[at_] == '"') {
      for (++at_; at_ < s_.size(); ++at_) {
        if (s_[at_] == '"') {
          if (at_ + 1 < s_.size() && s_[at_ + 1] == '"') {
            out += '"';
            ++at_;
            continue;
          }
          ++at_;
          if (out.empty()) Fail(line_, "empty quoted identifier in the COPY line");
          return out;
        }
        out += s_[at_];
      }
      Fail(line_, "unterminated quoted identifier in the COPY line");
    }
    while (at_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[at_]);
      if (!std::isalnum(c) && c != '_' && c != '$' && c < 0x80) break;
      out += static_cast<char>(std::tolower(c));
      ++at_;
    }
    if (out.empty()) Fail(line_, "expected a name in the COPY line");
    return out;
  }
  bool AtEnd() {
    SkipSpaces();
    return at_ == s_.size();
  }

 private:
  std::string_view s_;
  int line_;
  size_t at_ = 0;
};

// Appends the character a backslash escape stands for; returns the index after it.
size_t Unescape(std::string_view s, size_t i, std::string& out, int line) {
  // s[i] is the backslash.
  if (i + 1 >= s.size()) Fail(line, "bad escape: a backslash ends the row");
  const char c = s[i + 1];
  auto hex = [](char h) {
    return std::isdigit(static_cast<unsigned char>(h))    ? h - '0'
           : std::isxdigit(static_cast<unsigned char>(h)) ? std::tolower(h) - 'a' + 10
                                                          : -1;
  };
  int value = -1;
  size_t next = i + 2;
  switch (c) {
    case 'b':
      out += '\b';
      return next;
    case 'f':
      out += '\f';
      return next;
    case 'n':
      out += '\n';
      return next;
    case 'r':
      out += '\r';
      return next;
    case 't':
      out += '\t';
      return next;
    case 'v':
      out += '\v';
      return next;
    case 'x':
      if (next < s.size() && hex(s[next]) >= 0) {
        value = hex(s[next++]);
        if (next < s.size() && hex(s[next]) >= 0) value = value * 16 + hex(s[next++]);
      }
      break;
    default:
      if (c >= '0' && c <= '7') {
        value = c - '0';
        for (int k = 0; k < 2 && next < s.size() && s[next] >= '0' && s[next] <= '7'; ++k) {
          value = value * 8 + (s[next++] - '0');
        }
      }
  }
  if (value < 0) {
    out += c;  // COPY takes any other escaped character as itself
    return next;
  }
  if ((value & 0xFF) == 0) Fail(line, "bad escape: a NUL byte is not allowed in text");
  out += static_cast<char>(value & 0xFF);
  return next;
}

}  // namespace

CopyHeader ParseCopyHeader(std::string_view text, int line) {
  HeaderScanner scan(text, line);
  CopyHeader h;
  h.line = line;
  if (!scan.EatWord("COPY")) Fail(line, "expected COPY");
  h.table = scan.Identifier();
  h.schema = "public";
  if (scan.Eat('.')) {
    h.schema = h.table;
    h.table = scan.Identifier();
  }
  if (scan.Eat('(')) {
    do {
      h.columns.push_back(scan.Identifier());
    } while (scan.Eat(','));
    if (!scan.Eat(')')) Fail(line, "expected ')' after the COPY column list");
  }
  if (!scan.EatWord("FROM") || !scan.EatWord("STDIN") || !scan.Eat(';') || !scan.AtEnd()) {
    Fail(line, "expected 'FROM stdin;' (import reads COPY text blocks, as pg_dump writes them)");
  }
  if (h.columns.empty()) Fail(line, "the COPY line must list its columns");
  return h;
}

CopyRow ParseCopyRow(std::string_view text, int line) {
  CopyRow row;
  row.line = line;
  size_t start = 0;
  while (true) {
    size_t end = text.find('\t', start);
    const std::string_view raw =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (raw == "\\N") {
      row.values.emplace_back(std::nullopt);
    } else {
      std::string value;
      for (size_t i = 0; i < raw.size();) {
        if (raw[i] == '\\') {
          i = Unescape(raw, i, value, line);
        } else {
          value += raw[i++];
        }
      }
      for (size_t i = 0; i < value.size();) {
        const size_t n = Utf8SequenceLength(value, i);
        if (n == 0) Fail(line, "invalid UTF-8 in field " + std::to_string(row.values.size() + 1));
        i += n;
      }
      row.values.emplace_back(std::move(value));
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return row;
}

bool CopyDumpReader::ReadLine(std::string& line) {
  if (!std::getline(in_, line)) return false;
  ++line_;
  return true;
}

std::optional<CopyHeader> CopyDumpReader::NextBlock() {
  std::string line;
  while (ReadLine(line)) {
    if (IsSkippable(line)) continue;
    if (StartsWith(line, "COPY ")) {
      block_ = ParseCopyHeader(line, line_);
      return block_;
    }
    Fail(line_, "unsupported statement '" + line.substr(0, 60) +
                    "': import reads data-only COPY blocks (pg_dump --data-only, without "
                    "--inserts)");
  }
  return std::nullopt;
}

std::optional<CopyRow> CopyDumpReader::NextRow() {
  if (!block_) return std::nullopt;
  std::string line;
  if (!ReadLine(line)) {
    Fail(block_->line, "the COPY block of " + block_->schema + "." + block_->table +
                           " is not terminated by a line '\\.'");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line == "\\.") {
    block_.reset();
    return std::nullopt;
  }
  CopyRow row = ParseCopyRow(line, line_);
  if (row.values.size() != block_->columns.size()) {
    Fail(line_, "the row has " + std::to_string(row.values.size()) + " fields, the COPY line " +
                    std::to_string(block_->line) + " lists " +
                    std::to_string(block_->columns.size()) + " columns");
  }
  return row;
}

}  // namespace ib::storage
