// Change visibility: whether a principal may read a committed row change, decided by the
// table's SELECT guard (storage/guards) evaluated on the changed row's own values, so a Realtime
// subscriber sees exactly the rows a REST select would show it, through the same policy rows.
// An insert or update is judged on its new row, a delete on the row as it was. Guards that look
// at other tables (a child row is its owner's through its interview session) read them as they
// were before the transaction's deletes: the rows the same transaction deleted stand in for
// themselves, so the deletes of a cascade (an account removed with everything it owned) still
// reach the owner. Runs SQL on the caller's read connection; one thread per connection.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "storage/catalog.h"
#include "storage/change_log.h"
#include "storage/principal.h"

namespace ib::storage {

class Connection;

// `transaction`: every record of the committed transaction `record` belongs to.
bool MayReadChange(Connection& conn, const Catalog& catalog, const ChangeRecord& record,
                   const std::vector<ChangeRecord>& transaction, const Principal& who);

// The tables whose rows some table's SELECT guard reads besides the row it judges (a
// response's guard reads its interview session): a transaction's deletes of these tables can
// decide whether one of its changes is visible, deletes of any other table cannot. Asked of
// SQLite: each guard, for anon and for a signed-in user, is prepared as MayReadChange runs it,
// with an authorizer noting every table the statement reads. Throws Error::Internal if a guard
// does not prepare.
std::set<std::string, std::less<>> TablesSelectGuardsRead(Connection& conn, const Catalog& catalog);

}  // namespace ib::storage
