#include "server/rest/planner.h"

#include <algorithm>
#include <cctype>

#include "storage/error.h"
#include "storage/guards/guards.h"

namespace ib::rest {

using storage::Error;

const storage::Table& ResolveTable(const storage::Catalog& catalog, std::string_view name) {
  const storage::Table* table = catalog.FindExposedTable(name);
  if (!table) throw Error::UnknownTable(name);
  return *table;
}

namespace detail {

ColumnPath ResolveField(const storage::Table& table, const Field& field) {
  const storage::Column* column = table.FindColumn(field.name);
  if (!column) throw Error::UnknownColumn(table.name, field.name);
  // Only json/jsonb have `->` and `->>`: Postgres refuses the operator on any other type at plan
  // time (SQLite's json_extract would instead fail per row on text that is not JSON).
  if (!field.path.empty() && column->type.kind != storage::ValueKind::kJsonb) {
    throw Error::UndefinedOperator(column->type.PgName(),
                                   field.path.front().as_text ? "->>" : "->");
  }
  return ColumnPath{column, field.path};
}

namespace {

// The output key of a column item: alias, else the last named JSON key, else the column
// (PostgREST: `data->items->0` is keyed `data`... unless a key precedes the index).
std::string OutputKey(const SelectItem& item) {
  if (!item.alias.empty()) return item.alias;
  for (auto it = item.field.path.rbegin(); it != item.field.path.rend(); ++it) {
    if (!it->is_index) return it->key;
  }
  return item.field.name;
}

bool IsCountOnly(const SelectItem& embed, const storage::Table& table) {
  if (embed.children.size() != 1) return false;
  const SelectItem& only = embed.children[0];
  return only.kind == SelectItem::Kind::kColumn && only.field.name == "count" &&
         only.field.path.empty() && only.alias.empty() && !table.FindColumn("count");
}

void AddStar(ReadPlan& node) {
  for (const auto& column : node.table->columns) {
    node.output_order.push_back(node.fields.size());
    node.fields.push_back(OutputField{column.name, ColumnPath{&column, {}}, false});
  }
}

}  // namespace

void ExpandSelect(const std::vector<SelectItem>& items, const PlanContext& ctx, ReadPlan& node,
                  AliasCounter& aliases) {
  if (items.empty()) {
    AddStar(node);
    return;
  }
  // Embeds are numbered after all fields in output_order; remember them to fix up at the end.
  std::vector<std::pair<size_t, size_t>> embed_slots;  // (position in output_order, embed index)
  for (const auto& item : items) {
    switch (item.kind) {
      case SelectItem::Kind::kStar:
        AddStar(node);
        break;
      case SelectItem::Kind::kColumn: {
        OutputField field{OutputKey(item), ResolveField(*node.table, item.field), false};
        if (!item.cast.empty()) {
          if (item.cast != "text") {
            throw Error::ParseFailure("cast to " + item.cast + " is not supported",
                                      "only ::text casts are available");
          }
          field.cast_to_text = true;
        }
        node.output_order.push_back(node.fields.size());
        node.fields.push_back(std::move(field));
        break;
      }
      case SelectItem::Kind::kEmbed: {
        auto child = std::make_unique<ReadPlan>();
        child->alias = aliases.Next();
        ResolveEmbed(item, ctx, node, *child);
        if (IsCountOnly(item, *child->table)) {
          // PostgREST: `comments(count)` embeds [{"count": n}] (the rows' count, not a column).
          child->count_only = true;
        } else {
          ExpandSelect(item.children, ctx, *child, aliases);
        }
        embed_slots.emplace_back(node.output_order.size(), node.embeds.size());
        node.output_order.push_back(0);  // fixed below
        node.embeds.push_back(std::move(child));
        break;
      }
    }
  }
  for (auto [slot, embed] : embed_slots) node.output_order[slot] = node.fields.size() + embed;
}

ReadPlan& FindNode(ReadPlan& root, const EmbedPath& path) {
  ReadPlan* node = &root;
  for (const auto& name : path) {
    ReadPlan* next = nullptr;
    for (auto& embed : node->embeds) {
      if (embed->key == name) {
        next = embed.get();
        break;
      }
    }
    if (!next) {
      throw Error::NotEmbeddedWithHint(name);
    }
    node = next;
  }
  return *node;
}

void AttachGuards(ReadPlan& node, const PlanContext& ctx) {
  auto guard = storage::guards::Using(node.table->name, storage::guards::Command::kSelect, ctx.who,
                                      node.alias);
  node.guard = GuardSql{std::move(guard.sql), std::move(guard.params)};
  for (auto& embed : node.embeds) AttachGuards(*embed, ctx);
}

}  // namespace detail

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

void ApplyPaging(const ApiRequest& request, const PlanContext& ctx, ReadPlan& root) {
  for (const auto& [path, terms] : request.order)
    detail::AddOrder(terms, detail::FindNode(root, path));
  for (const auto& [path, limit] : request.limit) detail::FindNode(root, path).limit = limit;
  for (const auto& [path, offset] : request.offset) detail::FindNode(root, path).offset = offset;
  if (ctx.max_rows > 0 && (!root.limit || *root.limit > ctx.max_rows)) root.limit = ctx.max_rows;
}

void ApplyFilters(const ApiRequest& request, const PlanContext& ctx, ReadPlan& root) {
  for (const auto& [path, filter] : request.filters) {
    ReadPlan& node = detail::FindNode(root, path);
    // `embed=is.null` / `embed=not.is.null` on a parent: (anti-)join on the embed.
    bool is_embed_name = filter.field.path.empty() && !node.table->FindColumn(filter.field.name);
    if (is_embed_name && filter.operation.op == FilterOp::kIs &&
        EqualsIgnoreCase(filter.operation.value, "null")) {
      for (size_t i = 0; i < node.embeds.size(); ++i) {
        if (node.embeds[i]->key != filter.field.name) continue;
        node.where.children.emplace_back(EmbedExists{i, filter.operation.negated, {}});
        is_embed_name = false;
        break;
      }
      if (!is_embed_name) continue;
    }
    node.where.children.emplace_back(detail::PlanPredicate(*node.table, filter));
  }
  for (const auto& [path, tree] : request.logic) {
    detail::AddLogicTree(tree, ctx, detail::FindNode(root, path));
  }
}

// Embeds nest as subqueries inside one statement, and SQLite's parser has a fixed stack
// (100 entries; each level of embedding takes about 17), so a select= deeper than this is
// refused up front with its own message; anything else past a SQLite limit is answered
// 54001 by the executor. PostgREST itself has no such bound.
constexpr int kMaxEmbedDepth = 5;

int EmbedDepth(const std::vector<SelectItem>& items) {
  int deepest = 0;
  for (const auto& item : items) {
    if (item.kind == SelectItem::Kind::kEmbed) {
      deepest = std::max(deepest, 1 + EmbedDepth(item.children));
    }
  }
  return deepest;
}

}  // namespace

std::unique_ptr<ReadPlan> PlanSelectOnly(const ApiRequest& request, const PlanContext& ctx,
                                         const storage::Table& table) {
  if (int depth = EmbedDepth(request.select); depth > kMaxEmbedDepth) {
    throw Error::StatementTooComplex("select= nests embeds " + std::to_string(depth) +
                                     " levels deep; at most " + std::to_string(kMaxEmbedDepth) +
                                     " are supported");
  }
  auto root = std::make_unique<ReadPlan>();
  root->table = &table;
  detail::AliasCounter aliases;
  root->alias = aliases.Next();
  detail::ExpandSelect(request.select, ctx, *root, aliases);
  detail::AttachGuards(*root, ctx);
  return root;
}

std::unique_ptr<ReadPlan> PlanRead(const ApiRequest& request, const PlanContext& ctx,
                                   const storage::Table& table) {
  auto root = PlanSelectOnly(request, ctx, table);
  ApplyFilters(request, ctx, *root);
  ApplyPaging(request, ctx, *root);
  return root;
}

void PlanConditions(const ApiRequest& request, const PlanContext& ctx, ReadPlan& node) {
  ApplyFilters(request, ctx, node);
}

}  // namespace ib::rest
