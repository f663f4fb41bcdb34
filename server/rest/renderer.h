// The renderer: result rows -> response body text, written directly (no JSON DOM per row),
// plus the Content-Range header value. Values are rendered by storage/values from each
// column's declared type, so numbers stay numbers and jsonb stays nested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/rest/sql_builder.h"
#include "storage/copied_rows.h"
#include "storage/executor.h"

namespace ib::rest {

// The row functions take a statement's row (storage::Row, rendered as SQLite steps: reads)
// or a copied one (storage::CopiedRow, rendered after the writer: a write's representation);
// both are instantiated in renderer.cpp.

// Appends one row as a JSON object {"key": value, ...}; with `strip_nulls` keys whose value
// is null are left out (Accept: application/vnd.pgrst.array+json;nulls=stripped).
template <class RowT>
void AppendRowObject(std::string& out, const RowT& row, const std::vector<RenderColumn>& columns,
                     bool strip_nulls = false);
// The same with the member names of `columns` written once for all rows (MemberNames): a
// list's keys were escaped again for every row, a fifth of its rendering.
template <class RowT>
void AppendRowObject(std::string& out, const RowT& row, const std::vector<RenderColumn>& columns,
                     const std::vector<std::string>& member_names, bool strip_nulls);
// Each column's key as a JSON object member name, `"key":`.
std::vector<std::string> MemberNames(const std::vector<RenderColumn>& columns);

// CSV (RFC 4180): the header line, and one line per row.
void AppendCsvHeader(std::string& out, const std::vector<RenderColumn>& columns);
template <class RowT>
void AppendCsvRow(std::string& out, const RowT& row, const std::vector<RenderColumn>& columns);

// PostgREST's Content-Range: "first-last/total", "*/total" for an empty page, total "*" when
// no count was asked for.
std::string ContentRange(int64_t offset, int64_t rows, std::optional<int64_t> total);

}  // namespace ib::rest
