#include "server/rest/sql_builder.h"

#include <algorithm>

#include "storage/computed_columns.h"
#include "storage/error.h"
#include "storage/json_text.h"

namespace ib::rest {

using storage::SqlValue;
using storage::ValueKind;

namespace {

// Accumulates SQL text and its parameters; `?` placeholders are numbered by position.
class SqlWriter {
 public:
  SqlWriter& operator<<(std::string_view text) {
    sql_.append(text);
    return *this;
  }
  // The index of the next parameter Param or AddParam appends.
  size_t NextParam() const { return params_.size(); }
  SqlWriter& Param(SqlValue value) {
    sql_ += '?';
    params_.push_back(std::move(value));
    return *this;
  }
  // A parameter whose `?` is already in text appended verbatim (a function's own SELECT).
  void AddParam(SqlValue value) { params_.push_back(std::move(value)); }
  void AppendGuard(const GuardSql& guard) {
    sql_ += guard.sql;
    for (const auto& p : guard.params) params_.push_back(p);
  }
  storage::SqlQuery Take(std::string table = "") {
    return storage::SqlQuery{std::move(sql_), std::move(params_), std::move(table)};
  }

 private:
  std::string sql_;
  std::vector<SqlValue> params_;
};

// `$."a"[0]."b"` for SQLite's -> / ->> operators; keys are quoted, never spliced into SQL
// (the path itself travels as a bound parameter).
std::string JsonPathText(const std::vector<JsonPathStep>& path) {
  std::string out = "$";
  for (const auto& step : path) {
    if (step.is_index) {
      // SQLite counts from the end with `#-N` where Postgres takes a negative index.
      out += step.key.rfind('-', 0) == 0 ? "[#" + step.key + "]" : "[" + step.key + "]";
    } else {
      // SQLite's path syntax has no escapes: a quote would end the key, and a NUL would end
      // the whole path; control characters are refused with them (JSON text never holds
      // them raw, so such a key could not match anyway).
      for (unsigned char c : step.key) {
        if (c == '"' || c < 0x20 || c == 0x7F) {
          throw storage::Error::ParseFailure(
              "failed to parse json path",
              "keys with '\"' or control characters are not supported");
        }
      }
      out += ".\"" + step.key + "\"";
    }
  }
  return out;
}

void WriteColumn(SqlWriter& w, const std::string& alias, const ColumnPath& target) {
  w << alias << "." << target.column->ident.sql();
  if (target.path.empty()) return;
  w << (target.as_text() ? " ->> " : " -> ");
  w.Param(JsonPathText(target.path));
}

// A call of one of storage/sql_functions.cpp's value functions on `value` as a value of `type`
// (its kind as an integer, its scale for a decimal, -1 otherwise), as they read them.
void WriteValueFunction(SqlWriter& w, const char* function, const std::string& value,
                        const storage::ColumnType& type) {
  w << function << "(" << value << ", " << std::to_string(static_cast<int>(type.kind)) << ", "
    << std::to_string(type.kind == ValueKind::kDecimal ? type.scale : -1) << ")";
}

// `column::text` without a JSON path: the value as Postgres' cast writes it (ib_text_value,
// storage::CastToText). A column declared json keeps its stored text, which is all of it
// that is left.
void WriteCastToText(SqlWriter& w, const std::string& alias, const ColumnPath& target) {
  const std::string col = alias + "." + target.column->ident.sql();
  const auto& type = target.column->type;
  if (type.PgName() == "json") {
    w << "CAST(" << col << " AS TEXT)";
    return;
  }
  WriteValueFunction(w, "ib_text_value", col, type);
}

// A selected field's SQL value outside json_object(): the column (or its JSON path), or its
// ::text form.
void WriteSelected(SqlWriter& w, const std::string& alias, const OutputField& field) {
  if (field.cast_to_text && field.source.path.empty()) {
    WriteCastToText(w, alias, field.source);
  } else {
    WriteColumn(w, alias, field.source);
  }
}

// An expression producing the JSON form of a column inside json_object(). Text, uuid, date
// and integer columns are json_object()'s own (a quoted string, a number: what
// storage::AppendJson writes for them); every other kind goes through ib_json_value
// (storage/sql_functions.cpp), which is AppendJson itself, so an embedded row reads exactly as
// the same row at the top level.
void WriteJsonValue(SqlWriter& w, const std::string& alias, const OutputField& field) {
  const auto& target = field.source;
  if (!target.path.empty()) {
    if (target.as_text()) {
      WriteColumn(w, alias, target);
    } else if (field.cast_to_text) {
      // -> marks its text as JSON, which json_object would embed as it is: concatenating
      // drops the mark, and the JSON text goes in as a string, as Postgres' ::text gives it.
      w << "(";
      WriteColumn(w, alias, target);
      w << " || '')";
    } else {
      w << "json(";
      WriteColumn(w, alias, target);
      w << ")";
    }
    return;
  }
  if (field.cast_to_text) {
    WriteCastToText(w, alias, target);
    return;
  }
  std::string col = alias + "." + target.column->ident.sql();
  const auto& type = target.column->type;
  switch (type.kind) {
    case ValueKind::kText:
    case ValueKind::kVarchar:
    case ValueKind::kUuid:
    case ValueKind::kDate:
    case ValueKind::kInt:
    case ValueKind::kBigInt:
      w << col;
      break;
    default:
      WriteValueFunction(w, "ib_json_value", col, type);
  }
}

void WriteWhere(SqlWriter& w, const ReadPlan& node, const std::string* parent_alias);
void WriteJsonObject(SqlWriter& w, const ReadPlan& node);

void WriteJoin(SqlWriter& w, const ReadPlan& child, const std::string& parent_alias) {
  for (size_t i = 0; i < child.join.child_columns.size(); ++i) {
    if (i) w << " AND ";
    w << child.alias << "." << child.join.child_columns[i]->ident.sql() << " = " << parent_alias
      << "." << child.join.parent_columns[i]->ident.sql();
  }
}

void WriteOrderAndPaging(SqlWriter& w, const ReadPlan& node);

// (SELECT json ... FROM child WHERE join AND guard AND filters ...): one embed's JSON value.
void WriteEmbedSubquery(SqlWriter& w, const ReadPlan& child, const std::string& parent_alias) {
  if (child.count_only) {
    w << "(SELECT json_array(json_object('count', count(*))) FROM " << child.table->read_source
      << " AS " << child.alias;
    WriteWhere(w, child, &parent_alias);
    w << ")";
    return;
  }
  if (child.join.to_one) {
    w << "(SELECT ";
    WriteJsonObject(w, child);
    w << " FROM " << child.table->read_source << " AS " << child.alias;
    WriteWhere(w, child, &parent_alias);
    w << " LIMIT 1)";
    return;
  }
  if (child.order.empty() && !child.limit && child.offset <= 0) {
    // Unordered and whole: the objects go straight into the aggregate, which takes each one's
    // text as it is (json_object's result is marked as JSON). Through a subquery the mark is
    // lost: below, ib_json_value marks each row's text again without parsing it.
    w << "(SELECT json_group_array(";
    WriteJsonObject(w, child);
    w << ") FROM " << child.table->read_source << " AS " << child.alias;
    WriteWhere(w, child, &parent_alias);
    w << ")";
    return;
  }
  storage::ColumnType json_text;  // each row's json_object text, marked as JSON again
  json_text.kind = ValueKind::kJsonb;
  w << "(SELECT json_group_array(";
  WriteValueFunction(w, "ib_json_value", "j", json_text);
  w << ") FROM (SELECT ";
  WriteJsonObject(w, child);
  w << " AS j FROM " << child.table->read_source << " AS " << child.alias;
  WriteWhere(w, child, &parent_alias);
  WriteOrderAndPaging(w, child);
  w << "))";
}

// A spread embed's single column, as a scalar subquery of the to-one row.
void WriteSpreadField(SqlWriter& w, const ReadPlan& child, const OutputField& field,
                      const std::string& parent_alias, bool as_json) {
  w << "(SELECT ";
  if (as_json) {
    WriteJsonValue(w, child.alias, field);
  } else {
    WriteSelected(w, child.alias, field);
  }
  w << " FROM " << child.table->read_source << " AS " << child.alias;
  WriteWhere(w, child, &parent_alias);
  w << " LIMIT 1)";
}

void WriteJsonObject(SqlWriter& w, const ReadPlan& node) {
  w << "json_object(";
  bool first = true;
  for (size_t slot : node.output_order) {
    auto comma = [&] {
      if (!first) w << ", ";
      first = false;
    };
    if (slot < node.fields.size()) {
      comma();
      w.Param(node.fields[slot].key) << ", ";
      WriteJsonValue(w, node.alias, node.fields[slot]);
      continue;
    }
    const ReadPlan& embed = *node.embeds[slot - node.fields.size()];
    if (embed.spread) {
      for (const auto& field : embed.fields) {
        comma();
        w.Param(field.key) << ", ";
        WriteSpreadField(w, embed, field, node.alias, true);
      }
      continue;
    }
    comma();
    w.Param(embed.key) << ", ";
    WriteEmbedSubquery(w, embed, node.alias);
  }
  w << ")";
}

const char* ComparisonSql(FilterOp op) {
  switch (op) {
    case FilterOp::kEq:
      return " = ";
    case FilterOp::kNeq:
      return " <> ";
    case FilterOp::kGt:
      return " > ";
    case FilterOp::kGte:
      return " >= ";
    case FilterOp::kLt:
      return " < ";
    case FilterOp::kLte:
      return " <= ";
    case FilterOp::kIsDistinct:
      return " IS NOT ";
    default:
      return nullptr;
  }
}

std::string JsonArrayOf(const std::vector<SqlValue>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    const auto& v = values[i];
    if (std::holds_alternative<int64_t>(v)) {
      storage::AppendInt(out, std::get<int64_t>(v));
    } else if (std::holds_alternative<double>(v)) {
      storage::AppendDecimal(out, std::get<double>(v), -1);
    } else if (std::holds_alternative<std::string>(v)) {
      storage::AppendJsonString(out, std::get<std::string>(v));
    } else {
      out += "null";
    }
  }
  return out + "]";
}

std::string RowidsJson(const std::vector<int64_t>& rowids) {
  return JsonArrayOf(std::vector<SqlValue>(rowids.begin(), rowids.end()));
}

void WritePatternList(SqlWriter& w, const std::string& alias, const Predicate& p) {
  bool all = p.op == FilterOp::kLikeAll || p.op == FilterOp::kIlikeAll;
  bool insensitive = p.op == FilterOp::kIlikeAll || p.op == FilterOp::kIlikeAny;
  if (p.values.empty()) {
    w << (all ? "1" : "0");
    return;
  }
  w << "(";
  for (size_t i = 0; i < p.values.size(); ++i) {
    if (i) w << (all ? " AND " : " OR ");
    if (insensitive) w << "lower(";
    WriteColumn(w, alias, p.target);
    w << (insensitive ? ") LIKE lower(" : " LIKE ");
    w.Param(p.values[i]);
    w << (insensitive ? ")" : "") << " ESCAPE '\\'";
  }
  w << ")";
}

void WritePredicate(SqlWriter& w, const std::string& alias, const Predicate& p) {
  if (p.negated) w << "NOT ";
  w << "(";
  if (const char* cmp = ComparisonSql(p.op)) {
    WriteColumn(w, alias, p.target);
    w << cmp;
    w.Param(p.values[0]);
  } else {
    switch (p.op) {
      case FilterOp::kLike:
        WriteColumn(w, alias, p.target);
        w << " LIKE ";
        w.Param(p.values[0]) << " ESCAPE '\\'";
        break;
      case FilterOp::kIlike:
        w << "lower(";
        WriteColumn(w, alias, p.target);
        w << ") LIKE lower(";
        w.Param(p.values[0]) << ") ESCAPE '\\'";
        break;
      case FilterOp::kLikeAll:
      case FilterOp::kLikeAny:
      case FilterOp::kIlikeAll:
      case FilterOp::kIlikeAny:
        WritePatternList(w, alias, p);
        break;
      case FilterOp::kMatch:
      case FilterOp::kImatch:
        w << (p.op == FilterOp::kMatch ? "ib_regexp(" : "ib_iregexp(");
        w.Param(p.values[0]) << ", ";
        WriteColumn(w, alias, p.target);
        w << ")";
        break;
      case FilterOp::kIs:
        WriteColumn(w, alias, p.target);
        if (p.is_value == "null" || p.is_value == "unknown")
          w << " IS NULL";
        else if (p.is_value == "not_null")
          w << " IS NOT NULL";
        else if (p.is_value == "true")
          w << " IS TRUE";
        else
          w << " IS FALSE";
        break;
      case FilterOp::kIn:
        if (p.values.empty()) {
          w << "0";  // in.() matches nothing, as in PostgREST
          break;
        }
        WriteColumn(w, alias, p.target);
        w << " IN (SELECT value FROM json_each(";
        w.Param(JsonArrayOf(p.values)) << "))";
        break;
      case FilterOp::kCs:
        w << "ib_jsonb_contains(";
        WriteColumn(w, alias, p.target);
        w << ", ";
        w.Param(p.values[0]) << ")";
        break;
      case FilterOp::kCd:
        w << "ib_jsonb_contains(";
        w.Param(p.values[0]) << ", ";
        WriteColumn(w, alias, p.target);
        w << ")";
        break;
      case FilterOp::kOv:
        w << "ib_jsonb_overlaps(";
        WriteColumn(w, alias, p.target);
        w << ", ";
        w.Param(p.values[0]) << ")";
        break;
      default:
        throw storage::Error::Internal("unplanned filter operator");
    }
  }
  w << ")";
}

void WriteExists(SqlWriter& w, const ReadPlan& child, const std::string& parent_alias, bool exists,
                 const std::vector<Predicate>& extra = {}) {
  w << (exists ? "EXISTS (SELECT 1 FROM " : "NOT EXISTS (SELECT 1 FROM ")
    << child.table->read_source << " AS " << child.alias;
  WriteWhere(w, child, &parent_alias);
  for (const auto& p : extra) {
    w << " AND ";
    WritePredicate(w, child.alias, p);
  }
  w << ")";
}

void WriteCondition(SqlWriter& w, const ReadPlan& node, const Condition& cond) {
  if (cond.negated) w << "NOT ";
  w << "(";
  if (cond.children.empty()) w << (cond.is_and ? "1" : "0");
  bool first = true;
  for (const auto& child : cond.children) {
    if (!first) w << (cond.is_and ? " AND " : " OR ");
    first = false;
    if (const auto* p = std::get_if<Predicate>(&child)) {
      WritePredicate(w, node.alias, *p);
    } else if (const auto* e = std::get_if<EmbedExists>(&child)) {
      // `embed=is.null` -> no rows (exists=false); `not.is.null` -> rows exist.
      WriteExists(w, *node.embeds[e->embed_index], node.alias, e->exists, e->predicates);
    } else {
      WriteCondition(w, node, *std::get<std::unique_ptr<Condition>>(child));
    }
  }
  w << ")";
}

// WHERE <join to parent> AND <guard> AND <filters> AND <inner embeds exist>.
void WriteWhere(SqlWriter& w, const ReadPlan& node, const std::string* parent_alias) {
  bool any = false;
  auto and_ = [&] {
    w << (any ? " AND " : " WHERE ");
    any = true;
  };
  if (parent_alias) {
    and_();
    WriteJoin(w, node, *parent_alias);
  }
  if (!node.guard.sql.empty()) {
    and_();
    w.AppendGuard(node.guard);
  }
  if (!node.where.empty()) {
    and_();
    WriteCondition(w, node, node.where);
  }
  for (const auto& embed : node.embeds) {
    if (!embed->join.inner) continue;
    and_();
    WriteExists(w, *embed, node.alias, true);
  }
}

// A computed column ordered by its cheaper equivalent key (storage/computed_columns.h): the
// column itself, not a JSON path into it, and never null, so null placement is moot.
const storage::ComputedColumn* SortKeyOf(const storage::Table& table, const ColumnPath& target) {
  if (!target.path.empty() || !table.IsComputed(target.column->name)) return nullptr;
  const auto* computed = storage::FindComputedColumn(table.name, target.column->name);
  return computed && !computed->order_key.empty() ? computed : nullptr;
}

// The key's SQL names the stored row `stored`; here the row is `alias`, whose columns of the
// same names are the stored ones.
void WriteSortKey(SqlWriter& w, const std::string& alias, const storage::ComputedColumn& key) {
  std::string sql(key.order_key);
  const std::string from = "stored.";
  for (size_t at = sql.find(from); at != std::string::npos; at = sql.find(from, at)) {
    sql.replace(at, from.size(), alias + ".");
    at += alias.size() + 1;
  }
  w << sql;
}

void WriteOrderAndPaging(SqlWriter& w, const ReadPlan& node) {
  if (!node.order.empty()) {
    w << " ORDER BY ";
    for (size_t i = 0; i < node.order.size(); ++i) {
      const auto& o = node.order[i];
      if (i) w << ", ";
      if (o.to_one_embed) {
        const ReadPlan& embed = *node.embeds[*o.to_one_embed];
        w << "(SELECT ";
        WriteColumn(w, embed.alias, o.target);
        w << " FROM " << embed.table->read_source << " AS " << embed.alias;
        WriteWhere(w, embed, &node.alias);
        w << " LIMIT 1)";
      } else if (const auto* key = SortKeyOf(*node.table, o.target)) {
        WriteSortKey(w, node.alias, *key);
        const bool descending = o.descending != key->order_descends;
        w << (descending ? " DESC" : " ASC") << (o.nulls_first ? " NULLS FIRST" : " NULLS LAST");
        continue;
      } else {
        WriteColumn(w, node.alias, o.target);
      }
      w << (o.descending ? " DESC" : " ASC") << (o.nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
  }
  if (node.limit || node.offset > 0) {
    w << " LIMIT ";
    w.Param(node.limit ? *node.limit : int64_t{-1});
    if (node.offset > 0) {
      w << " OFFSET ";
      w.Param(node.offset);
    }
  }
}

// `written_param` (when given) gets the index of the written rows' parameter.
void WriteFrom(SqlWriter& w, const ReadPlan& plan, std::optional<size_t>* written_param = nullptr) {
  if (plan.written_rows) {
    // Representation of written rows: exactly these rows, in the order they were written
    // (none until BindWrittenRows gives them).
    w << " FROM json_each(";
    if (written_param) *written_param = w.NextParam();
    w.Param(RowidsJson({}));
    w << ") AS written JOIN " << plan.table->read_source << " AS " << plan.alias << " ON "
      << plan.alias << ".rowid = written.value";
  } else if (plan.source) {
    w << " FROM (" << plan.source->text << ") AS " << plan.alias;
    for (const auto& p : plan.source->params) w.AddParam(p);
  } else {
    w << " FROM " << plan.table->read_source << " AS " << plan.alias;
  }
}

// How the renderer writes a field WriteSelected put in the statement: a JSON path's value is
// JSON text (->) unless it is text (->>, or -> cast ::text, as in an embed), a ::text cast
// text, anything else by the column's type.
RenderColumn RenderColumnFor(const OutputField& field) {
  RenderColumn rc{RenderColumn::Kind::kValue, field.key, &field.source.column->type};
  if (!field.source.path.empty()) {
    rc.kind = field.source.as_text() || field.cast_to_text ? RenderColumn::Kind::kText
                                                           : RenderColumn::Kind::kRawJson;
  } else if (field.cast_to_text) {
    rc.kind = RenderColumn::Kind::kText;
  }
  return rc;
}

}  // namespace

ReadQuery BuildRead(const ReadPlan& plan) {
  SqlWriter w;
  ReadQuery out;
  w << "SELECT ";
  bool first = true;
  auto comma = [&] {
    if (!first) w << ", ";
    first = false;
  };
  for (size_t slot : plan.output_order) {
    if (slot < plan.fields.size()) {
      const auto& field = plan.fields[slot];
      comma();
      WriteSelected(w, plan.alias, field);
      out.columns.push_back(RenderColumnFor(field));
      continue;
    }
    const ReadPlan& embed = *plan.embeds[slot - plan.fields.size()];
    if (embed.spread) {
      for (const auto& field : embed.fields) {
        comma();
        WriteSpreadField(w, embed, field, plan.alias, false);
        out.columns.push_back(RenderColumnFor(field));
      }
      continue;
    }
    comma();
    WriteEmbedSubquery(w, embed, plan.alias);
    out.columns.push_back({RenderColumn::Kind::kRawJson, embed.key, nullptr});
  }
  if (first) w << "NULL";  // select= with nothing selectable still yields rows
  WriteFrom(w, plan, &out.written_param);
  WriteWhere(w, plan, nullptr);
  if (plan.written_rows && plan.order.empty()) {
    w << " ORDER BY written.key";
  }
  WriteOrderAndPaging(w, plan);
  out.sql = w.Take();
  return out;
}

void BindWrittenRows(ReadQuery& query, const std::vector<int64_t>& rowids) {
  if (!query.written_param) throw storage::Error::Internal("not a query of written rows");
  query.sql.params.at(*query.written_param) = RowidsJson(rowids);
}

storage::SqlQuery BuildCount(const ReadPlan& plan) {
  SqlWriter w;
  w << "SELECT count(*)";
  WriteFrom(w, plan);
  WriteWhere(w, plan, nullptr);
  return w.Take();
}

namespace {

// json_array(t0."pk1", ...): a row's primary key as one comparable text ("[]" without one).
void WriteKeyArray(SqlWriter& w, const ReadPlan& plan) {
  w << "json_array(";
  bool first = true;
  for (const auto& name : plan.table->primary_key) {
    if (!first) w << ", ";
    first = false;
    w << plan.alias << "." << plan.table->FindColumn(name)->ident.sql();
  }
  w << ")";
}

}  // namespace

storage::SqlQuery BuildTargetRows(const ReadPlan& plan) {
  SqlWriter w;
  w << "SELECT " << plan.alias << ".rowid, ";
  WriteKeyArray(w, plan);
  WriteFrom(w, plan);
  WriteWhere(w, plan, nullptr);
  WriteOrderAndPaging(w, plan);
  return w.Take(plan.table->name);
}

storage::SqlQuery BuildTargetRowids(const ReadPlan& plan) {
  SqlWriter w;
  w << "SELECT " << plan.alias << ".rowid";
  WriteFrom(w, plan);
  WriteWhere(w, plan, nullptr);
  WriteOrderAndPaging(w, plan);
  return w.Take(plan.table->name);
}

storage::SqlQuery BuildRecheckTargets(const ReadPlan& plan, std::string found) {
  SqlWriter w;
  w << "SELECT " << plan.alias << ".rowid FROM json_each(";
  w.Param(std::move(found));
  w << ") AS found JOIN " << plan.table->read_source << " AS " << plan.alias << " ON " << plan.alias
    << ".rowid = (found.value ->> 0) AND ";
  WriteKeyArray(w, plan);
  w << " = (found.value ->> 1)";
  WriteWhere(w, plan, nullptr);
  w << " ORDER BY found.key";
  return w.Take(plan.table->name);
}

namespace {

// " WHERE NOT coalesce(<check>, 0)" over alias t0: the rows a WITH CHECK refuses.
void WriteFailingCheck(SqlWriter& w, const GuardSql& check) {
  w << " WHERE NOT coalesce(";
  w.AppendGuard(check);
  w << ", 0)";
}

// The rows `rowids` names, as table alias t: each looked up by its rowid, in a nested loop over
// the list (CROSS JOIN keeps that order). `rowid IN (SELECT value FROM json_each(?))` built an
// ephemeral index per statement instead: a b-tree and its pager opened and freed on the
// writer for every written row's check. One row (a single insert, a PATCH by key), the most
// common case by far, is one lookup without json_each's parse of the list.
void WriteRowsByRowid(SqlWriter& w, const storage::Table& table,
                      const std::vector<int64_t>& rowids) {
  if (rowids.size() == 1) {
    w << " FROM " << table.ident.sql() << " AS t WHERE t.rowid = ";
    w.Param(rowids.front());
    return;
  }
  w << " FROM json_each(";
  w.Param(RowidsJson(rowids));
  w << ") AS listed CROSS JOIN " << table.ident.sql() << " AS t ON t.rowid = listed.value";
}

// The select list of a row a write would make: each column of `table`, aliased to its own name
// so the guard reads it as the table's, is the write's bound value where `written` names it and
// `unwritten(column)` elsewhere (the column's default, or the stored value).
template <typename Unwritten>
void WriteCandidateColumns(SqlWriter& w, const storage::Table& table,
                           const std::vector<const storage::Column*>& written,
                           std::vector<SqlValue>& values, Unwritten unwritten) {
  bool first = true;
  for (const auto& column : table.columns) {
    if (!first) w << ", ";
    first = false;
    auto it = std::find(written.begin(), written.end(), &column);
    if (it != written.end()) {
      w.Param(std::move(values[static_cast<size_t>(it - written.begin())]));
    } else {
      unwritten(column);
    }
    w << " AS " << column.ident.sql();
  }
}

}  // namespace

storage::SqlQuery BuildConflictLookup(const storage::Table& table,
                                      const std::vector<const storage::Column*>& target,
                                      std::vector<SqlValue> values) {
  SqlWriter w;
  w << "SELECT rowid FROM " << table.ident.sql() << " WHERE ";
  for (size_t i = 0; i < target.size(); ++i) {
    if (i) w << " AND ";
    w << target[i]->ident.sql() << " = ";
    w.Param(std::move(values[i]));
  }
  return w.Take(table.name);
}

storage::SqlQuery BuildGuardedRowCount(const storage::Table& table, int64_t rowid,
                                       const GuardSql& guard) {
  SqlWriter w;
  w << "SELECT count(*) FROM " << table.ident.sql() << " AS t0 WHERE t0.rowid = ";
  w.Param(rowid);
  if (!guard.sql.empty()) {
    w << " AND ";
    w.AppendGuard(guard);
  }
  return w.Take(table.name);
}

storage::SqlQuery BuildFailingStoredRows(const storage::Table& table,
                                         const std::vector<int64_t>& rowids,
                                         const GuardSql& check) {
  SqlWriter w;
  w << "SELECT count(*) FROM (SELECT t.*";
  WriteRowsByRowid(w, table, rowids);
  w << ") AS t0";
  WriteFailingCheck(w, check);
  return w.Take(table.name);
}

storage::SqlQuery BuildFailingInsertCandidate(const storage::Table& table,
                                              const std::vector<const storage::Column*>& given,
                                              std::vector<SqlValue> values, const GuardSql& check) {
  SqlWriter w;
  w << "SELECT count(*) FROM (SELECT ";
  WriteCandidateColumns(w, table, given, values, [&w](const storage::Column& column) {
    // The declared default is schema text from our migrations, never request text.
    w << (column.default_sql ? *column.default_sql : std::string("NULL"));
  });
  w << ") AS t0";
  WriteFailingCheck(w, check);
  return w.Take(table.name);
}

storage::SqlQuery BuildFailingUpdateCandidates(const storage::Table& table,
                                               const std::vector<int64_t>& rowids,
                                               const std::vector<const storage::Column*>& changed,
                                               std::vector<SqlValue> values,
                                               const GuardSql& check) {
  SqlWriter w;
  w << "SELECT count(*) FROM (SELECT ";
  WriteCandidateColumns(w, table, changed, values,
                        [&w](const storage::Column& column) { w << "t." << column.ident.sql(); });
  WriteRowsByRowid(w, table, rowids);
  w << ") AS t0";
  WriteFailingCheck(w, check);
  return w.Take(table.name);
}

}  // namespace ib::rest
