#include "storage/request_clock.h"

#include <chrono>

namespace ib::storage {

RequestClock RequestClock::Now() {
  return RequestClock{std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()};
}

}  // namespace ib::storage
