#include "server/rest/openapi.h"

#include <nlohmann/json.hpp>

#include "storage/rpc/rpc.h"

namespace ib::rest {
namespace {

using nlohmann::json;
using storage::ValueKind;

// Swagger type/format for a column, as PostgREST maps Postgres types.
json SchemaFor(const storage::ColumnType& type) {
  switch (type.kind) {
    case ValueKind::kInt:
      return {{"type", "integer"}, {"format", "integer"}};
    case ValueKind::kBigInt:
      return {{"type", "integer"}, {"format", "bigint"}};
    case ValueKind::kDecimal:
      return {{"type", "number"}, {"format", "numeric"}};
    case ValueKind::kReal:
      return {{"type", "number"}, {"format", "double precision"}};
    case ValueKind::kBool:
      return {{"type", "boolean"}, {"format", "boolean"}};
    case ValueKind::kJsonb:
      return {{"format", "jsonb"}};
    case ValueKind::kTextArray:
      return {{"type", "array"}, {"format", "text[]"}, {"items", {{"type", "string"}}}};
    case ValueKind::kUuid:
      return {{"type", "string"}, {"format", "uuid"}};
    case ValueKind::kTimestamptz:
      return {{"type", "string"}, {"format", "timestamp with time zone"}};
    case ValueKind::kDate:
      return {{"type", "string"}, {"format", "date"}};
    case ValueKind::kVarchar: {
      json s = {{"type", "string"}, {"format", "character varying"}};
      if (type.length > 0) s["maxLength"] = type.length;
      return s;
    }
    default:
      return {{"type", "string"}, {"format", "text"}};
  }
}

json TableDefinition(const storage::Table& table) {
  json props = json::object();
  json required = json::array();
  for (const auto& col : table.columns) {
    json s = SchemaFor(col.type);
    if (col.primary_key) s["description"] = "Note:\nThis is a Primary Key.<pk/>";
    if (col.default_sql) s["default"] = *col.default_sql;
    props[col.name] = s;
    if (col.not_null && !col.default_sql) required.push_back(col.name);
  }
  json def = {{"type", "object"}, {"properties", props}};
  if (!required.empty()) def["required"] = required;
  return def;
}

json TablePath(const storage::Table& table) {
  json ok = {{"description", "OK"}};
  json ref = {{"$ref", "#/definitions/" + table.name}};
  json body = {{"name", table.name}, {"in", "body"}, {"required", false}, {"schema", ref}};
  return {
      {"get",
       {{"tags", {table.name}},
        {"responses",
         {{"200", {{"description", "OK"}, {"schema", {{"type", "array"}, {"items", ref}}}}},
          {"206", {{"description", "Partial Content"}}}}}}},
      {"post",
       {{"tags", {table.name}},
        {"parameters", {body}},
        {"responses", {{"201", {{"description", "Created"}}}}}}},
      {"patch",
       {{"tags", {table.name}},
        {"parameters", {body}},
        {"responses", {{"204", {{"description", "No Content"}}}}}}},
      {"delete",
       {{"tags", {table.name}}, {"responses", {{"204", {{"description", "No Content"}}}}}}},
  };
}

json RpcPath(const storage::rpc::Function& fn) {
  json props = json::object();
  json required = json::array();
  for (const auto& arg : fn.args) {
    props[arg.name] = SchemaFor(storage::ParseDeclaredType(arg.declared_type));
    if (!arg.default_value) required.push_back(arg.name);
  }
  json schema = {{"type", "object"}, {"properties", props}};
  if (!required.empty()) schema["required"] = required;
  json params = {{{"name", "args"}, {"in", "body"}, {"required", true}, {"schema", schema}}};
  json responses = {{"200", {{"description", "OK"}}}};
  return {{"post",
           {{"tags", {"(rpc) " + fn.name}},
            {"parameters", params},
            {"produces", {"application/json"}},
            {"responses", responses}}},
          {"get", {{"tags", {"(rpc) " + fn.name}}, {"responses", responses}}}};
}

}  // namespace

std::string BuildOpenApi(const storage::Catalog& catalog, const std::string& host,
                         const std::string& version) {
  json ok = {{"200", {{"description", "OK"}}}};
  json paths = json::object();
  paths["/"] = {{"get", {{"tags", {"Introspection"}}, {"responses", ok}}}};
  json definitions = json::object();
  for (const auto& table : catalog.tables()) {
    if (!table->exposed) continue;
    paths["/" + table->name] = TablePath(*table);
    definitions[table->name] = TableDefinition(*table);
  }
  for (const auto& fn : storage::rpc::AllFunctions()) paths["/rpc/" + fn.name] = RpcPath(fn);
  json doc = {
      {"swagger", "2.0"},
      {"info",
       {{"title", "interviewbase REST API"},
        {"description", "PostgREST-compatible API of the interview platform"},
        {"version", version}}},
      {"host", host},
      {"basePath", "/rest/v1"},
      {"schemes", {"http"}},
      {"consumes", {"application/json", "application/vnd.pgrst.object+json", "text/csv"}},
      {"produces", {"application/json", "application/vnd.pgrst.object+json", "text/csv"}},
      {"paths", paths},
      {"definitions", definitions},
  };
  return doc.dump();
}

}  // namespace ib::rest
