#include "server/realtime/change_index.h"

#include <algorithm>

namespace ib::realtime {
namespace {

bool ByteEqual(storage::ValueKind kind) {
  using storage::ValueKind;
  return kind == ValueKind::kUuid || kind == ValueKind::kText || kind == ValueKind::kVarchar ||
         kind == ValueKind::kTimestamptz || kind == ValueKind::kDate;
}

}  // namespace

bool ChangeIndex::EqKey(const Binding& binding, std::string& column, std::string& value) {
  if (binding.table == nullptr || !binding.filter) return false;
  for (const ChangeFilter::Condition& c : binding.filter->conditions()) {
    // Kinds whose equal values are equal bytes only: a number may be stored as INTEGER or REAL
    // and compares by value, not by key.
    if (c.op == ChangeFilter::Op::kEq && !c.negated && c.values.size() == 1 &&
        std::holds_alternative<std::string>(c.values[0]) && c.type != nullptr &&
        ByteEqual(c.type->kind)) {
      column = c.column;
      value = std::get<std::string>(c.values[0]);
      return true;
    }
  }
  return false;
}

void ChangeIndex::Count(Counts& counts, Channel* channel, int delta) {
  int& n = counts[channel];
  n += delta;
  if (n <= 0) counts.erase(channel);
}

void ChangeIndex::File(Channel* channel, int delta) {
  for (const Binding& binding : channel->bindings) {
    if (!binding.active) continue;
    std::string column, value;
    if (EqKey(binding, column, value)) {
      auto& values = by_value_[binding.table][column];
      Count(values[value], channel, delta);
      if (values[value].empty()) values.erase(value);
      if (values.empty()) by_value_[binding.table].erase(column);
      if (by_value_[binding.table].empty()) by_value_.erase(binding.table);
    } else if (binding.table != nullptr) {
      Count(by_table_[binding.table], channel, delta);
      if (by_table_[binding.table].empty()) by_table_.erase(binding.table);
    } else {
      Count(every_table_, channel, delta);
    }
  }
}

void ChangeIndex::Add(Channel* channel) { File(channel, +1); }
void ChangeIndex::Remove(Channel* channel) { File(channel, -1); }

std::vector<Channel*> ChangeIndex::Candidates(const storage::Table& table,
                                              const storage::ChangeRow& row) const {
  std::vector<Channel*> out;
  auto take = [&out](const Counts& counts) {
    for (const auto& [channel, n] : counts) out.push_back(channel);
  };
  take(every_table_);
  if (auto it = by_table_.find(&table); it != by_table_.end()) take(it->second);
  if (auto it = by_value_.find(&table); it != by_value_.end()) {
    for (const auto& [column, values] : it->second) {
      auto cell = row.find(column);
      if (cell == row.end() || !std::holds_alternative<std::string>(cell->second)) continue;
      if (auto hit = values.find(std::get<std::string>(cell->second)); hit != values.end()) {
        take(hit->second);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace ib::realtime
