// RPCs: the schema's helper functions, served at /rest/v1/rpc/<name>. Each function is one row
// of rpc/registry.cpp: name, typed arguments (with defaults), the shape of its result, who may
// call it, and an implementation. A set-returning implementation produces a SELECT that the
// REST engine treats as a virtual table, so filters, order, limit, select= and counts apply
// to its rows exactly as to a table's. Implementations run inside the request's transaction.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/executor.h"
#include "storage/principal.h"
#include "storage/values.h"

namespace ib::storage {

class Connection;
class Catalog;

namespace rpc {

enum class Returns {
  kSetOf,   // rows: a JSON array, filterable like a table
  kScalar,  // one bare JSON value
  kVoid,    // 204, no body
};

struct Arg {
  std::string name;
  std::string declared_type;                 // Postgres type name, e.g. "uuid", "int"
  std::optional<std::string> default_value;  // as query-string text; unset = required
};

struct ResultColumn {
  std::string name;
  std::string declared_type;  // e.g. "uuid", "bigint", "numeric", "timestamptz"
};

// Bound argument values, by name, already converted by the codec (defaults filled in).
struct CallArgs {
  std::vector<std::pair<std::string, SqlValue>> values;
  const SqlValue& Get(std::string_view name) const;
};

struct CallContext {
  Connection& conn;
  const Catalog& catalog;
  const Principal& who;
  int64_t now_micros;
  const CallArgs& args;
};

// kSetOf: the SELECT producing the rows (columns named as `columns`), values bound.
using SetImpl = SqlQuery (*)(CallContext& ctx);
// kScalar / kVoid: runs and returns the JSON result (ignored for void).
using ValueImpl = nlohmann::json (*)(CallContext& ctx);

struct Function {
  std::string name;
  std::vector<Arg> args;
  Returns returns = Returns::kSetOf;
  std::vector<ResultColumn> columns;    // kSetOf only
  RoleSet roles{Role::kAuthenticated};  // who may call; service_role may always call
  // When set, an authenticated caller must pass their own id in this argument (else 42501).
  std::string own_user_arg;
  bool writes = false;  // needs the write transaction
  SetImpl set_impl = nullptr;
  ValueImpl value_impl = nullptr;
};

// Every RPC of the project: storage/rpc/registry.cpp.
const std::vector<Function>& AllFunctions();
const Function* FindFunction(std::string_view name);

}  // namespace rpc
}  // namespace ib::storage
