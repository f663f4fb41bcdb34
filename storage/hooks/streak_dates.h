// The streak hook's `streak_data` (the activity dates) updated on its text. The hook writes it
// as nlohmann's dump of a sorted, unique list of dates: `["2025-01-02","2025-01-05"]`, every
// entry 12 characters and a separator. Parsing that into a DOM and dumping it again on every
// completion was about 4 % of a completion's CPU, on the writer, for a list that usually
// already holds the day; in that form the day is found by a binary search over fixed-width
// entries and, when new, spliced in. Any other text (written by hand through the service
// role) is left to the caller's parse.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ib::storage::hooks {

// `stored` (the column's text; "[]" for NULL) with `day` recorded, sorted and unique, the oldest
// dates dropped past `max_dates` (the dropped may include `day` itself): exactly what parsing,
// inserting, trimming and dumping would give. nullopt when `stored` is not in the form above
// (entries of ten characters from 0-9 and '-', strictly ascending, at most `max_dates`) or
// `day` is not such an entry.
std::optional<std::string> RecordDayInDates(std::string_view stored, std::string_view day,
                                            size_t max_dates);

}  // namespace ib::storage::hooks
