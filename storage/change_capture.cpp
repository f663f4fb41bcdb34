// The preupdate API is declared only with SQLITE_ENABLE_PREUPDATE_HOOK (CMakeLists.txt defines
// it for ib_storage); Debian's libsqlite3 is built with it (and with the session extension,
// which rests on the same hook).
#include "storage/change_capture.h"

#include <sqlite3.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <string_view>

#include "storage/catalog.h"
#include "storage/executor.h"
#include "storage/request_clock.h"
#include "storage/sqlite_value_view.h"

namespace ib::storage {
namespace {

SqlValue ValueOf(sqlite3_value* v) { return v ? OwnedCopy(ViewOf(v)) : SqlValue{}; }

std::vector<SqlValue> ReadValues(sqlite3* db, bool old_row) {
  const int n = sqlite3_preupdate_count(db);
  std::vector<SqlValue> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    sqlite3_value* v = nullptr;
    const int rc = old_row ? sqlite3_preupdate_old(db, i, &v) : sqlite3_preupdate_new(db, i, &v);
    out.push_back(rc == SQLITE_OK ? ValueOf(v) : SqlValue{});
  }
  return out;
}

void OnPreUpdate(void* self, sqlite3* db, int op, const char* db_name, const char* table,
                 sqlite3_int64 old_rowid, sqlite3_int64 new_rowid) {
  auto* capture = static_cast<ChangeCapture*>(self);
  if (!capture->armed()) return;
  if (std::string_view(db_name) != "main") return;               // temp tables are not data
  if (std::string_view(table).rfind("sqlite_", 0) == 0) return;  // SQLite's own bookkeeping
  ChangeCapture::Pending change;
  switch (op) {
    case SQLITE_INSERT:
      change.op = ChangeOp::kInsert;
      break;
    case SQLITE_UPDATE:
      change.op = ChangeOp::kUpdate;
      break;
    case SQLITE_DELETE:
      change.op = ChangeOp::kDelete;
      break;
    default:
      return;
  }
  // Asked before any value is copied: unwanted changes cost this lookup only.
  if (!capture->Wants(table, change.op)) return;
  change.table = table;
  change.rowid = op == SQLITE_DELETE ? old_rowid : new_rowid;
  if (op != SQLITE_INSERT) change.old_values = ReadValues(db, true);
  if (op != SQLITE_DELETE) change.new_values = ReadValues(db, false);
  capture->Record(std::move(change));
}

using Shape = ChangeCapture::Shape;

Shape ShapeFromPragma(Connection& conn, const std::string& table) {
  Shape shape;
  std::vector<std::pair<int64_t, std::string>> pk;
  Executor(conn).Run({"SELECT name, pk FROM pragma_table_xinfo(?1) ORDER BY cid", {table}, ""},
                     [&](const Row& r) {
                       shape.columns.push_back(r.Text(0));
                       if (r.Int(1) > 0) pk.emplace_back(r.Int(1), r.Text(0));
                     });
  std::sort(pk.begin(), pk.end());
  for (auto& [pos, name] : pk) shape.primary_key.push_back(std::move(name));
  return shape;
}

// The catalog's shape of `table`, if the catalog knows it with exactly `width` columns.
std::optional<Shape> CatalogShape(const Catalog* catalog, const std::string& table, size_t width) {
  if (!catalog) return std::nullopt;
  const Table* t = catalog->FindTable(table);
  if (!t || t->columns.size() != width) return std::nullopt;
  Shape shape;
  for (const auto& c : t->columns) shape.columns.push_back(c.name);
  shape.primary_key = t->primary_key;
  return shape;
}

std::optional<ChangeRow> Named(const Shape& shape, std::vector<SqlValue>& values) {
  ChangeRow row;
  for (size_t i = 0; i < values.size(); ++i) {
    std::string name = i < shape.columns.size() ? shape.columns[i] : "column" + std::to_string(i);
    row.emplace(std::move(name), std::move(values[i]));
  }
  return row;
}

ChangeRow KeyOf(const Shape& shape, const ChangeRecord& record, int64_t rowid) {
  ChangeRow key;
  if (shape.primary_key.empty()) {
    key.emplace("rowid", SqlValue{rowid});
    return key;
  }
  const ChangeRow& row = record.new_row ? *record.new_row : *record.old_row;
  for (const auto& name : shape.primary_key) {
    auto it = row.find(name);
    key.emplace(name, it == row.end() ? SqlValue{} : it->second);
  }
  return key;
}

}  // namespace

ChangeCapture::ChangeCapture(sqlite3* handle, ChangeLog& log) : handle_(handle), log_(log) {
  sqlite3_preupdate_hook(handle_, &OnPreUpdate, this);
}

ChangeCapture::~ChangeCapture() { sqlite3_preupdate_hook(handle_, nullptr, nullptr); }

void ChangeCapture::Begin() {
  pending_.clear();
  interest_ = log_.Interest();
  armed_ = !interest_.Nothing();
}

void ChangeCapture::TruncateTo(size_t mark) {
  if (pending_.size() > mark) pending_.resize(mark);
}

void ChangeCapture::Discard() {
  armed_ = false;
  pending_.clear();
}

std::vector<ChangeRecord> ChangeCapture::Committed(Connection& conn) {
  armed_ = false;
  std::vector<Pending> pending = std::move(pending_);
  pending_.clear();
  std::vector<ChangeRecord> out;
  if (pending.empty()) return out;
  // Commit times never run backwards even if the wall clock does, so sequence order and time
  // order agree for consumers.
  const int64_t commit_micros = std::max(RequestClock::Now().now_micros, last_commit_micros_);
  last_commit_micros_ = commit_micros;
  // Tables outside the catalog (created after it loaded, or with hidden columns) are asked
  // of SQLite once per commit, since their shape may change; catalog shapes are kept.
  std::map<std::string, Shape, std::less<>> asked;
  out.reserve(pending.size());
  for (Pending& p : pending) {
    const size_t width = std::max(p.old_values.size(), p.new_values.size());
    auto it = catalog_shapes_.find(p.table);
    if (it == catalog_shapes_.end() || it->second.columns.size() != width) {
      if (auto shape = CatalogShape(catalog_.get(), p.table, width)) {
        it = catalog_shapes_.insert_or_assign(p.table, std::move(*shape)).first;
      } else {
        it = asked.find(p.table);
        if (it == asked.end()) it = asked.emplace(p.table, ShapeFromPragma(conn, p.table)).first;
      }
    }
    ChangeRecord record;
    record.table = std::move(p.table);
    record.op = p.op;
    if (p.op != ChangeOp::kInsert) record.old_row = Named(it->second, p.old_values);
    if (p.op != ChangeOp::kDelete) record.new_row = Named(it->second, p.new_values);
    record.key = KeyOf(it->second, record, p.rowid);
    record.sequence = next_sequence_++;
    record.commit_micros = commit_micros;
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace ib::storage
