// Change visibility: whether a principal may read a committed row change, decided by the
// table's SELECT guard (storage/guards) evaluated on the changed row's own values, so a Realtime
// subscriber sees exactly the rows a REST select would show it, through the same policy rows.
// An insert or update is judged on its new row, a delete on the row as it was. Guards that look
// at other tables (a child row is its owner's through its interview session) read them as they
// were before the transaction's deletes: the rows the same transaction deleted stand in for
// themselves, so the deletes of a cascade (an account removed with everything it owned) still
// reach the owner. Runs SQL on the caller's read connection; one thread per connection.
#pragma once

#include <vector>

#include "storage/catalog.h"
#include "storage/change_log.h"
#include "storage/principal.h"

namespace ib::storage {

class Connection;

// `transaction`: every record of the committed transaction `record` belongs to.
bool MayReadChange(Connection& conn, const Catalog& catalog, const ChangeRecord& record,
                   const std::vector<ChangeRecord>& transaction, const Principal& who);

}  // namespace ib::storage
