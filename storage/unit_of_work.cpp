#include "storage/unit_of_work.h"

namespace ib::storage {

WriteScope::WriteScope(Transaction& tx, const Catalog& catalog, const Principal& who,
                       const RequestClock& clock)
    : tx_(tx),
      catalog_(catalog),
      who_(who),
      now_micros_(clock.now_micros),
      writer_(tx.conn(), catalog_, who_, now_micros_) {}

ReadScope::ReadScope(Db& db, const Principal& who, const RequestClock& clock)
    : lease_(db),
      tx_(lease_.conn(), Transaction::Mode::kRead),
      catalog_(db.catalog()),
      who_(who),
      now_micros_(clock.now_micros) {}

}  // namespace ib::storage
