// Reads a PostgreSQL data-only dump in pg_dump's plain format: `COPY schema.table (cols) FROM
// stdin;` blocks whose rows are tab-separated COPY text (`\N` NULL, backslash escapes) ended by
// `\.`, between lines pg_dump writes around them (comments, `SET`, `SELECT pg_catalog.set_config`
// or `setval`, `BEGIN`/`COMMIT`, `\restrict`, `ALTER TABLE ... TRIGGER ALL`), which carry no data
// and are skipped. Anything else (INSERT statements, DDL) is refused. Pure: no database; every
// error is an Error::Internal whose message starts with "line N: ".
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ib::storage {

struct CopyHeader {
  std::string schema;  // "public" when the dump names none
  std::string table;
  std::vector<std::string> columns;
  int line = 0;
};

// One row: a value per header column (nullopt = NULL), unescaped, valid UTF-8.
struct CopyRow {
  std::vector<std::optional<std::string>> values;
  int line = 0;
};

class CopyDumpReader {
 public:
  explicit CopyDumpReader(std::istream& in) : in_(in) {}

  // The next COPY block's header, skipping the lines between blocks; nullopt at the end.
  // Call only when the previous block's rows were all read.
  std::optional<CopyHeader> NextBlock();
  // The next row of the current block; nullopt at its `\.`.
  std::optional<CopyRow> NextRow();

 private:
  bool ReadLine(std::string& line);

  std::istream& in_;
  int line_ = 0;
  std::optional<CopyHeader> block_;
};

// Parses `COPY [schema.]table [(col, ...)] FROM stdin;` (identifiers plain or double-quoted).
// Throws Error::Internal("line N: ...") when `text` is not one.
CopyHeader ParseCopyHeader(std::string_view text, int line);
// Splits one COPY text row into its unescaped fields. Throws on a bad escape (a lone
// backslash at the end, a NUL) or invalid UTF-8.
CopyRow ParseCopyRow(std::string_view text, int line);

}  // namespace ib::storage
