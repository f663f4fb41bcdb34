// ChangeIndex: which channels a changed row could concern, without walking every channel. A
// binding with an `eq` condition on a text-stored column (uuid, text, timestamptz: every
// `user_id=eq.…` / `interview_id=eq.…` filter) is filed under (table, column, value); any other
// binding under its table, or under "every table". Candidates() returns the union for one
// row: a superset of the channels whose bindings match (the caller still checks each binding),
// so a change costs only the channels that filed for it. Realtime's thread only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/realtime/channel.h"
#include "storage/change_log.h"

namespace ib::realtime {

class ChangeIndex {
 public:
  void Add(Channel* channel);
  void Remove(Channel* channel);
  // The channels to check for a change of `table` whose matched row (the new row, or the key
  // of a delete) is `row`; each once.
  std::vector<Channel*> Candidates(const storage::Table& table,
                                   const storage::ChangeRow& row) const;

 private:
  using Counts = std::map<Channel*, int>;  // a channel may file several bindings in one place
  // The (column, value) a binding can be found by, when it has an eq condition on text.
  static bool EqKey(const Binding& binding, std::string& column, std::string& value);
  void File(Channel* channel, int delta);
  static void Count(Counts& counts, Channel* channel, int delta);

  Counts every_table_;
  std::map<const storage::Table*, Counts> by_table_;
  // table -> column -> value -> channels
  std::map<const storage::Table*, std::map<std::string, std::map<std::string, Counts>>> by_value_;
};

}  // namespace ib::realtime
