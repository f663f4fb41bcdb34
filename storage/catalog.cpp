#include "storage/catalog.h"

#include <algorithm>

#include "storage/computed_columns.h"
#include "storage/error.h"
#include "storage/executor.h"

namespace ib::storage {
namespace {

// Tables emulating other Postgres schemas (auth.*, storage.*) and our own bookkeeping are
// never reachable through /rest/v1, as only the `public` schema is exposed by PostgREST.
bool IsExposed(const std::string& name) {
  for (const char* prefix : {"auth_", "storage_", "ib_", "sqlite_"}) {
    if (name.rfind(prefix, 0) == 0) return false;
  }
  return true;
}

std::vector<std::string> ReadTableNames(Executor& ex) {
  std::vector<std::string> names;
  ex.Run({"SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
          "ORDER BY name",
          {},
          ""},
         [&](const Row& row) { names.push_back(row.Text(0)); });
  return names;
}

// Table::read_source: the table itself, or a subquery adding its computed columns in place of
// the stored ones of the same name. SQLite flattens it into the outer query, so filters on
// stored columns still use their indexes.
void SetReadSource(Table& table) {
  table.read_source = table.ident.sql();
  for (const auto& computed : ComputedColumns()) {
    if (computed.table == table.name && table.FindColumn(computed.column)) {
      table.computed_columns.emplace_back(computed.column);
    }
  }
  if (table.computed_columns.empty()) return;
  std::string sql = "(SELECT stored.rowid AS rowid";
  for (const auto& column : table.columns) {
    sql += ", ";
    if (const ComputedColumn* match = FindComputedColumn(table.name, column.name)) {
      sql += std::string(match->sql) + " AS " + column.ident.sql();
    } else {
      sql += "stored." + column.ident.sql();
    }
  }
  table.read_source = sql + " FROM " + table.ident.sql() + " AS stored)";
}

}  // namespace

Ident::Ident(std::string name) : name_(std::move(name)) {
  quoted_.reserve(name_.size() + 2);
  quoted_.push_back('"');
  for (char c : name_) {
    if (c == '"') quoted_.push_back('"');
    quoted_.push_back(c);
  }
  quoted_.push_back('"');
}

const Column* Table::FindColumn(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool Table::IsUniqueKey(const std::vector<std::string>& cols) const {
  auto sorted = cols;
  std::sort(sorted.begin(), sorted.end());
  for (auto key : unique_keys) {
    std::sort(key.begin(), key.end());
    if (key == sorted) return true;
  }
  return false;
}

bool Table::IsComputed(std::string_view column) const {
  for (const auto& name : computed_columns) {
    if (name == column) return true;
  }
  return false;
}

std::shared_ptr<const Catalog> Catalog::Load(Connection& conn,
                                             const std::vector<VirtualTableSpec>& functions) {
  auto catalog = std::make_shared<Catalog>();
  Executor ex(conn);
  for (const auto& name : ReadTableNames(ex)) {
    auto table = std::unique_ptr<Table>(
        new Table{name, Ident(name), IsExposed(name), {}, {}, {}, {}, {}, {}});
    // pragma_table_info(?) takes the table name as a bound value, like every other query.
    std::vector<std::pair<int, std::string>> pk;
    ex.Run(
        {"SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1)",
         {name},
         ""},
        [&](const Row& row) {
          Column col{
              row.Text(1),     Ident(row.Text(1)), ParseDeclaredType(row.Text(2)), row.Int(3) != 0,
              row.Int(5) != 0, row.OptText(4),     static_cast<int>(row.Int(0))};
          if (col.primary_key) pk.emplace_back(static_cast<int>(row.Int(5)), col.name);
          table->columns.push_back(std::move(col));
        });
    std::sort(pk.begin(), pk.end());
    for (auto& [order, col] : pk) table->primary_key.push_back(col);
    if (!table->primary_key.empty()) table->unique_keys.push_back(table->primary_key);

    // A partial unique index holds only the rows its WHERE selects: not a key of the table
    // (Postgres refuses ON CONFLICT on one without its predicate, and a lookup by its columns
    // alone cannot use it).
    std::vector<std::string> unique_indexes;
    ex.Run({"SELECT name FROM pragma_index_list(?1) WHERE \"unique\" = 1 AND origin <> 'pk' "
            "AND partial = 0 ORDER BY seq DESC",
            {name},
            ""},
           [&](const Row& row) { unique_indexes.push_back(row.Text(0)); });
    for (const auto& index : unique_indexes) {
      std::vector<std::string> cols;
      ex.Run({"SELECT name FROM pragma_index_info(?1) ORDER BY seqno", {index}, ""},
             [&](const Row& row) { cols.push_back(row.Text(0)); });
      table->unique_keys.push_back(std::move(cols));
    }

    std::map<int64_t, ForeignKey> fks;
    ex.Run({"SELECT id, seq, \"table\", \"from\", \"to\", on_delete "
            "FROM pragma_foreign_key_list(?1) "
            "ORDER BY id, seq",
            {name},
            ""},
           [&](const Row& row) {
             auto& fk = fks[row.Int(0)];
             fk.table = name;
             fk.ref_table = row.Text(2);
             fk.columns.push_back(row.Text(3));
             fk.ref_columns.push_back(row.Text(4));
             fk.on_delete = row.Text(5);
           });
    for (auto& [id, fk] : fks) {
      // Postgres names a single-column FK <table>_<column>_fkey; the hint form `!name` uses it.
      fk.name = name;
      for (const auto& c : fk.columns) fk.name += "_" + c;
      fk.name += "_fkey";
      // An FK declared without target columns refers to the referenced table's primary key.
      table->foreign_keys.push_back(std::move(fk));
    }
    SetReadSource(*table);
    catalog->by_name_.emplace(name, table.get());
    catalog->tables_.push_back(std::move(table));
  }
  // Resolve implicit FK targets (REFERENCES t without columns) to t's primary key.
  for (auto& table : catalog->tables_) {
    for (auto& fk : table->foreign_keys) {
      const Table* ref = catalog->FindTable(fk.ref_table);
      if (!ref) continue;
      for (size_t i = 0; i < fk.ref_columns.size(); ++i) {
        if (fk.ref_columns[i].empty() && i < ref->primary_key.size()) {
          fk.ref_columns[i] = ref->primary_key[i];
        }
      }
    }
  }
  for (const auto& spec : functions) {
    auto table = std::unique_ptr<Table>(
        new Table{spec.name, Ident(spec.name), false, {}, {}, {}, {}, {}, {}});
    int position = 0;
    for (const auto& [name, type] : spec.columns) {
      table->columns.push_back(Column{name, Ident(name), ParseDeclaredType(type), false, false,
                                      std::nullopt, position++});
    }
    table->read_source = table->ident.sql();
    catalog->function_results_by_name_.emplace(spec.name, table.get());
    catalog->function_results_.push_back(std::move(table));
  }
  return catalog;
}

const Table* Catalog::FindFunctionResult(std::string_view name) const {
  auto it = function_results_by_name_.find(name);
  return it == function_results_by_name_.end() ? nullptr : it->second;
}

const Table* Catalog::FindTable(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

const Table* Catalog::FindExposedTable(std::string_view name) const {
  const Table* t = FindTable(name);
  return t && t->exposed ? t : nullptr;
}

std::vector<const ForeignKey*> Catalog::ForeignKeysBetween(const Table& a, const Table& b) const {
  std::vector<const ForeignKey*> out;
  for (const auto& fk : a.foreign_keys) {
    if (fk.ref_table == b.name) out.push_back(&fk);
  }
  if (&a != &b) {
    for (const auto& fk : b.foreign_keys) {
      if (fk.ref_table == a.name) out.push_back(&fk);
    }
  }
  return out;
}

const Ident& Catalog::TableIdent(std::string_view table) const {
  const Table* t = FindTable(table);
  if (!t) throw Error::Internal("schema lacks table " + std::string(table));
  return t->ident;
}

}  // namespace ib::storage
