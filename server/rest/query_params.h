// Query string -> ApiRequest (PostgREST's ApiRequest.QueryParams): select=, filters, or=/and=,
// order=, limit/offset, columns=, on_conflict= and RPC GET arguments. Pure string work: no
// catalog, no database, no globals; every function is thread-safe. Syntax errors throw
// storage::Error PGRST100 (`"failed to parse filter (xx.1)" (line 1, column 1)`); names stay raw
// and unvalidated for the planner.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/rest/api_request.h"

namespace ib::rest {

// `params` are already percent- and plus-decoded, in request order, repeated keys kept.
// Reserved keys (select, order, limit, offset, or, and, columns, on_conflict, and keys ending
// in .order/.limit/.offset/.or/.and) fill their parts; any other key is an RPC argument when
// `is_rpc_arg(key)` says so, else a filter `[embed.]*column[->path]=[not.]op.value`.
// Repeats: the first `select`/`columns`/`on_conflict` wins and later ones are ignored (PostgREST
// looks the key up once); a later `order`/`limit`/`offset` for the same path replaces an
// earlier one; filters and logic trees accumulate (ANDed).
ApiRequest ParseQueryParams(const std::vector<std::pair<std::string, std::string>>& params,
                            const std::function<bool(std::string_view)>& is_rpc_arg = nullptr);

// `select=` value. "" (or only spaces) yields no items.
std::vector<SelectItem> ParseSelect(std::string_view select);

// A filter value `[not.]op[(modifier)].operand`. With in_logic_tree the operand follows the
// logic-tree rules (quotes and `{...}` special) and must span the rest of `value`.
Operation ParseOperation(std::string_view value, bool in_logic_tree);

// The value of `or=`/`and=`/`not.or=`/`not.and=`: `(cond,cond,and(...),not.or(...))`.
LogicTree ParseLogicTree(std::string_view value, bool is_and, bool negated);

// `order=` value: `a.asc,b.desc.nullsfirst,data->x.desc,author(name).desc`.
std::vector<OrderTerm> ParseOrder(std::string_view order);

// A column with optional JSON path: `data->a->>b`, `"my col"`, `items->0`.
Field ParseField(std::string_view field);

// `limit=` / `offset=` (key names the parameter in the error, e.g. "limit", "comments.limit").
// Anything but decimal digits fitting int64 -> PGRST100.
int64_t ParseNonNegative(std::string_view value, std::string_view key);

// `columns=` / `on_conflict=`: comma-separated names, each optionally double-quoted; spaces
// around unquoted names are trimmed. Empty names -> PGRST100. `key` names the parameter.
std::vector<std::string> ParseColumnList(std::string_view value, std::string_view key = "columns");

}  // namespace ib::rest
