#include "storage/unit_of_work.h"

namespace ib::storage {

WriteScope::WriteScope(Db& db, const Principal& who, const RequestClock& clock)
    : lease_(db),
      tx_(lease_.conn(), Transaction::Mode::kWrite),
      catalog_(db.catalog()),
      who_(who),
      now_micros_(clock.now_micros),
      writer_(lease_.conn(), catalog_, who_, now_micros_) {}

ReadScope::ReadScope(Db& db, const Principal& who, const RequestClock& clock)
    : lease_(db),
      tx_(lease_.conn(), Transaction::Mode::kRead),
      catalog_(db.catalog()),
      who_(who),
      now_micros_(clock.now_micros) {}

}  // namespace ib::storage
