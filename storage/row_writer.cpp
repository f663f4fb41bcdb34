#include "storage/row_writer.h"

#include <sqlite3.h>

#include "storage/catalog.h"
#include "storage/error.h"
#include "storage/executor.h"

namespace ib::storage {
namespace {

constexpr int kMaxHookDepth = 8;

// Keeps the nesting depth honest even when a hook throws.
class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) {
    if (++depth_ > kMaxHookDepth) {
      --depth_;
      throw Error::Internal("hooks nested too deeply");
    }
  }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

// The row's columns from `first` on, by name, copied out of the statement.
hooks::RowData RowDataFrom(const Row& r, int first) {
  hooks::RowData data;
  for (int i = first; i < r.size(); ++i) data.emplace(std::string(r.name(i)), OwnedCopy(r[i]));
  return data;
}

// SELECT `result` of the first row of `table` whose `column` equals `value`.
SqlQuery FindQuery(const Table& table, std::string_view column, const SqlValue& value,
                   std::string_view result) {
  const Column* c = table.FindColumn(column);
  if (!c) throw Error::Internal("unknown column " + std::string(column));
  return {"SELECT " + std::string(result) + " FROM " + table.ident.sql() + " WHERE " +
              c->ident.sql() + " = ? LIMIT 1",
          {value},
          ""};
}

// `columns` as a select list; names come from the catalog (a name it does not know is a
// programming error in a hook's declaration).
std::string ColumnList(const Table& table, const hooks::Reads& columns) {
  std::string out;
  for (std::string_view name : columns) {
    const Column* c = table.FindColumn(name);
    if (!c) throw Error::Internal("unknown column " + std::string(name));
    if (!out.empty()) out += ", ";
    out += c->ident.sql();
  }
  return out;
}

}  // namespace

RowWriter::RowWriter(Connection& conn, const Catalog& catalog, const Principal& who,
                     int64_t now_micros)
    : conn_(conn), catalog_(catalog), who_(who), now_micros_(now_micros) {}

const Table& RowWriter::TableNamed(std::string_view table) const {
  const Table* t = catalog_.FindTable(table);
  if (!t) throw Error::Internal("unknown table " + std::string(table));
  return *t;
}

int64_t RowWriter::Insert(std::string_view table_name, hooks::RowData values) {
  DepthGuard depth(depth_);
  const Table& table = TableNamed(table_name);
  hooks::HookContext ctx{*this, who_, now_micros_};
  hooks::HookRow row{table.name, 0, {}, std::move(values)};
  hooks::Fire(ctx, hooks::Op::kInsert, hooks::Timing::kBefore, row);

  SqlQuery q;
  q.table = table.name;
  q.text = "INSERT INTO " + table.ident.sql();
  std::string names, marks;
  for (auto& [name, value] : row.row) {
    const Column* c = table.FindColumn(name);
    if (!c) throw Error::UnknownBodyColumn(table.name, name);
    if (!names.empty()) {
      names += ", ";
      marks += ", ";
    }
    names += c->ident.sql();
    marks += "?";
    q.params.push_back(value);
  }
  q.text += names.empty() ? " DEFAULT VALUES" : " (" + names + ") VALUES (" + marks + ")";
  // The new rowid from the connection rather than `RETURNING rowid`, which buffers its row in
  // an ephemeral table opened and freed per statement (about 2 us per insert, on the writer).
  // SQL triggers' own inserts do not count: SQLite restores the value when a trigger ends.
  Executor(conn_).Run(q);
  row.rowid = sqlite3_last_insert_rowid(conn_.handle());

  const auto after = hooks::HooksOn(table.name, hooks::Op::kInsert, hooks::Timing::kAfter);
  if (!after.any) return row.rowid;
  if (auto stored = ReadFor(table, row.rowid, after)) row.row = std::move(*stored);
  hooks::Fire(ctx, hooks::Op::kInsert, hooks::Timing::kAfter, row);
  return row.rowid;
}

void RowWriter::Update(std::string_view table_name, int64_t rowid, hooks::RowData changes) {
  DepthGuard depth(depth_);
  const Table& table = TableNamed(table_name);
  const auto before = hooks::HooksOn(table.name, hooks::Op::kUpdate, hooks::Timing::kBefore);
  const auto after = hooks::HooksOn(table.name, hooks::Op::kUpdate, hooks::Timing::kAfter);
  hooks::HookContext ctx{*this, who_, now_micros_};
  hooks::HookRow row{table.name, rowid, {}, std::move(changes)};
  if ((before.see_rows || after.any) && !LoadOldRow(table, row, before, after)) return;  // gone
  if (before.any) hooks::Fire(ctx, hooks::Op::kUpdate, hooks::Timing::kBefore, row);

  if (!row.row.empty()) {
    SqlQuery q;
    q.table = table.name;
    q.text = "UPDATE " + table.ident.sql() + " SET ";
    bool first = true;
    for (auto& [name, value] : row.row) {
      const Column* c = table.FindColumn(name);
      if (!c) throw Error::UnknownBodyColumn(table.name, name);
      if (!first) q.text += ", ";
      first = false;
      q.text += c->ident.sql() + " = ?";
      q.params.push_back(value);
    }
    q.text += " WHERE rowid = ?";
    q.params.emplace_back(rowid);
    Executor(conn_).Run(q);
  }
  if (!after.any) return;
  if (auto stored = ReadFor(table, rowid, after)) row.row = std::move(*stored);
  hooks::Fire(ctx, hooks::Op::kUpdate, hooks::Timing::kAfter, row);
}

void RowWriter::Delete(std::string_view table_name, int64_t rowid) {
  DepthGuard depth(depth_);
  const Table& table = TableNamed(table_name);
  const auto before = hooks::HooksOn(table.name, hooks::Op::kDelete, hooks::Timing::kBefore);
  const auto after = hooks::HooksOn(table.name, hooks::Op::kDelete, hooks::Timing::kAfter);
  hooks::HookContext ctx{*this, who_, now_micros_};
  hooks::HookRow row{table.name, rowid, {}, {}};
  if ((before.see_rows || after.any) && !LoadOldRow(table, row, before, after)) return;  // gone
  if (before.any) hooks::Fire(ctx, hooks::Op::kDelete, hooks::Timing::kBefore, row);
  Executor(conn_).Run(
      {"DELETE FROM " + table.ident.sql() + " WHERE rowid = ?", {rowid}, table.name});
  if (after.any) hooks::Fire(ctx, hooks::Op::kDelete, hooks::Timing::kAfter, row);
}

bool RowWriter::LoadOldRow(const Table& table, hooks::HookRow& row, const hooks::EventHooks& before,
                           const hooks::EventHooks& after) {
  // The BEFORE hooks that look at rows and every AFTER hook are given the old row (HooksOn
  // names no columns for hooks that only add to the changes).
  auto stored = ReadFor(table, row.rowid, hooks::ReadsOfBoth(before, after));
  if (!stored) return false;
  row.old_row = std::move(*stored);
  return true;
}

std::optional<hooks::RowData> RowWriter::Read(std::string_view table_name, int64_t rowid) {
  return ReadSelect(TableNamed(table_name), rowid, "*");
}

std::optional<hooks::RowData> RowWriter::ReadFor(const Table& table, int64_t rowid,
                                                 const hooks::EventHooks& readers) {
  const bool whole = readers.every_column || readers.columns.empty();
  return ReadSelect(table, rowid, whole ? "*" : ColumnList(table, readers.columns));
}

std::optional<hooks::RowData> RowWriter::ReadSelect(const Table& table, int64_t rowid,
                                                    const std::string& select_list) {
  std::optional<hooks::RowData> out;
  Executor(conn_).Run(
      {"SELECT " + select_list + " FROM " + table.ident.sql() + " WHERE rowid = ?", {rowid}, ""},
      [&](const Row& r) { out = RowDataFrom(r, 0); });
  return out;
}

std::optional<int64_t> RowWriter::FindRowid(std::string_view table_name, std::string_view column,
                                            const SqlValue& value) {
  std::optional<int64_t> out;
  Executor(conn_).Run(FindQuery(TableNamed(table_name), column, value, "rowid"),
                      [&](const Row& r) { out = r.Int(0); });
  return out;
}

std::optional<RowWriter::FoundRow> RowWriter::FindRow(std::string_view table_name,
                                                      std::string_view column,
                                                      const SqlValue& value,
                                                      const hooks::Reads& columns) {
  const Table& table = TableNamed(table_name);
  const std::string result = columns.empty() ? "rowid, *" : "rowid, " + ColumnList(table, columns);
  std::optional<FoundRow> out;
  Executor(conn_).Run(FindQuery(table, column, value, result), [&](const Row& r) {
    out = FoundRow{r.Int(0), RowDataFrom(r, 1)};
  });
  return out;
}

}  // namespace ib::storage
