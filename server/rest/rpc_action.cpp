// /rest/v1/rpc/<fn>: resolve the function and its arguments (POST JSON body or GET/HEAD query
// arguments), apply the caller guard, then either read its rows as a virtual table (so
// select=, filters, order, limit and counts work as on tables) or return its value.
#include <set>

#include "server/rest/actions.h"
#include "server/rest/query_params.h"
#include "server/rest/renderer.h"
#include "server/rest/write_support.h"
#include "storage/error.h"
#include "storage/json_input.h"
#include "storage/json_text.h"
#include "storage/rpc/rpc.h"
#include "storage/unit_of_work.h"

namespace ib::rest {

using storage::Error;
namespace rpc = storage::rpc;

namespace {

std::string Signature(const std::string& name, const std::vector<std::string>& arg_names) {
  std::string out = "public." + name + "(";
  for (size_t i = 0; i < arg_names.size(); ++i) out += (i ? ", " : "") + arg_names[i];
  return out + ")";
}

Error NoSuchFunction(const std::string& name, const std::vector<std::string>& given,
                     const rpc::Function* fn) {
  std::optional<std::string> hint;
  if (fn) {
    std::vector<std::string> real;
    for (const auto& a : fn->args) real.push_back(a.name);
    hint = "Perhaps you meant to call the function " + Signature(fn->name, real);
  }
  return Error::UnknownFunction(Signature(name, given), hint);
}

// Named arguments from the JSON body (POST) or the query string (GET/HEAD), converted by
// the codec to each argument's declared type, defaults filled in.
rpc::CallArgs BindArgs(const rpc::Function& fn, const RestRequest& request, const ApiRequest& api) {
  std::vector<std::string> given;
  std::vector<std::pair<std::string, storage::SqlValue>> values;
  auto find_arg = [&](const std::string& name) -> const rpc::Arg* {
    for (const auto& a : fn.args) {
      if (a.name == name) return &a;
    }
    return nullptr;
  };
  if (request.method == "POST") {
    nlohmann::json body =
        request.body.empty() ? nlohmann::json::object() : ParseJsonBody(request.body);
    if (!body.is_object()) throw Error::InvalidBody("Empty or invalid json");
    for (const auto& [key, value] : body.items()) given.push_back(key);
    for (const auto& [key, value] : body.items()) {
      const rpc::Arg* arg = find_arg(key);
      if (!arg) throw NoSuchFunction(fn.name, given, &fn);
      values.emplace_back(key,
                          storage::FromJson(storage::ParseDeclaredType(arg->declared_type), value));
    }
  } else {
    for (const auto& [key, value] : api.rpc_args) given.push_back(key);
    for (const auto& [key, value] : api.rpc_args) {
      const rpc::Arg* arg = find_arg(key);
      // A text parameter to PostgreSQL, as a filter operand is (planner_filters.cpp).
      if (value.find('\0') != std::string::npos) throw storage::Error::NulByteInParameter();
      values.emplace_back(key,
                          storage::FromText(storage::ParseDeclaredType(arg->declared_type), value));
    }
  }
  rpc::CallArgs out;
  for (const auto& arg : fn.args) {
    auto it = std::find_if(values.begin(), values.end(),
                           [&](const auto& v) { return v.first == arg.name; });
    if (it != values.end()) {
      out.values.push_back(*it);
    } else if (arg.default_value) {
      out.values.emplace_back(
          arg.name,
          storage::FromText(storage::ParseDeclaredType(arg.declared_type), *arg.default_value));
    } else {
      throw NoSuchFunction(fn.name, given, &fn);
    }
  }
  return out;
}

// The argument names a call gave: the JSON body's keys (POST) or the query's arguments.
std::vector<std::string> GivenArgNames(const RestRequest& request, const ApiRequest& api) {
  std::vector<std::string> given;
  if (request.method != "POST") {
    for (const auto& [k, v] : api.rpc_args) given.push_back(k);
    return given;
  }
  // Only names the 404 of an unknown function: a body that does not parse (or nests too deep
  // to be parsed at all) names none.
  storage::ClientJson body = storage::ParseClientJson(request.body);
  if (body.ok() && body.value.is_object()) {
    for (const auto& [key, value] : body.value.items()) given.push_back(key);
  }
  return given;
}

void CheckCaller(const rpc::Function& fn, const storage::Principal& who,
                 const rpc::CallArgs& args) {
  if (who.is_service()) return;
  if (!fn.roles.Contains(who.role)) {
    throw Error::PermissionDenied(who.is_anon(), "permission denied for function " + fn.name);
  }
  if (!fn.own_user_arg.empty()) {
    const auto& v = args.Get(fn.own_user_arg);
    const auto* id = std::get_if<std::string>(&v);
    if (!id || *id != who.user_id) {
      throw Error::PermissionDenied(who.is_anon(), "permission denied: " + fn.own_user_arg +
                                                       " must be the caller's own user id");
    }
  }
}

RestResponse RunSetFunction(const ActionInput& in, const rpc::Function& fn,
                            const rpc::CallArgs& args) {
  auto plan = PlanRead(in.api, in.plan, in.table);
  // A function's rows are not a table's: no row guard applies to them (CheckCaller already
  // ran the function's own guard), as RLS never filters a SECURITY DEFINER function's result.
  plan->guard = {};
  auto run = [&](storage::Connection& conn) {
    rpc::CallContext call{conn, in.plan.catalog, in.plan.who, in.plan.now_micros, args};
    plan->source = fn.set_impl(call);
    return ExecuteRead(in, *plan, conn);
  };
  if (fn.writes) {
    return in.db.Write(in.plan.who, in.clock, [&](storage::WriteScope& scope) {
      if (in.prefs.tx_rollback) scope.RollBackWhenDone();  // Prefer: tx=rollback
      return run(scope.conn());
    });
  }
  return in.db.Read(in.plan.who, in.clock,
                    [&](storage::ReadScope& scope) { return run(scope.conn()); });
}

RestResponse RunValueFunction(const PlanContext& plan, const Preferences& prefs,
                              const storage::RequestClock& clock, storage::Db& db,
                              const rpc::Function& fn, const rpc::CallArgs& args) {
  auto run = [&](storage::Connection& conn) {
    rpc::CallContext call{conn, plan.catalog, plan.who, plan.now_micros, args};
    return fn.value_impl(call);
  };
  // A value function that only reads still runs in one snapshot, like every read.
  nlohmann::json value =
      fn.writes
          ? db.Write(plan.who, clock,
                     [&](storage::WriteScope& scope) {
                       if (prefs.tx_rollback) scope.RollBackWhenDone();  // Prefer: tx=rollback
                       return run(scope.conn());
                     })
          : db.Read(plan.who, clock, [&](storage::ReadScope& scope) { return run(scope.conn()); });
  RestResponse out;
  if (fn.returns == rpc::Returns::kVoid) {
    out.status = 204;
    out.content_type.clear();
    return out;
  }
  out.body = value.dump();
  out.headers.emplace_back("Content-Range", "0-0/*");
  return out;
}

}  // namespace

RestResponse RunRpc(const RestRequest& request, const Preferences& prefs, MediaType media,
                    const PlanContext& plan, const storage::RequestClock& clock, storage::Db& db) {
  const rpc::Function* fn = rpc::FindFunction(request.resource);
  std::set<std::string> arg_names;
  if (fn) {
    for (const auto& a : fn->args) arg_names.insert(a.name);
  }
  bool query_args = request.method == "GET" || request.method == "HEAD";
  // An unknown function's query parameters are all taken as arguments, so the 404 names them.
  ApiRequest api = ParseQueryParams(request.params, [&](std::string_view key) {
    return query_args && (!fn || arg_names.count(std::string(key)) > 0);
  });
  if (!fn) throw NoSuchFunction(request.resource, GivenArgNames(request, api), nullptr);
  rpc::CallArgs args = BindArgs(*fn, request, api);
  CheckCaller(*fn, plan.who, args);
  if (fn->returns != rpc::Returns::kSetOf) {
    return RunValueFunction(plan, prefs, clock, db, *fn, args);
  }
  const storage::Table* shape = plan.catalog.FindFunctionResult(fn->name);
  if (!shape) throw Error::Internal("function result shape missing for " + fn->name);
  ActionInput in{request, api, prefs, media, *shape, plan, clock, db};
  return RunSetFunction(in, *fn, args);
}

}  // namespace ib::rest
