#include "storage/change_log.h"

#include <iostream>

namespace ib::storage {

const char* ChangeOpName(ChangeOp op) {
  switch (op) {
    case ChangeOp::kInsert:
      return "INSERT";
    case ChangeOp::kUpdate:
      return "UPDATE";
    case ChangeOp::kDelete:
      return "DELETE";
  }
  return "INSERT";
}

ChangeInterest ChangeInterest::Everything() {
  ChangeInterest interest;
  interest.every_table = true;
  return interest;
}

bool ChangeInterest::Wants(std::string_view table, ChangeOp op) const {
  return every_table || tables.count(table) > 0 ||
         (op == ChangeOp::kDelete && deletes_of.count(table) > 0);
}

void ChangeInterest::Add(const ChangeInterest& other) {
  every_table = every_table || other.every_table;
  deletes_of.insert(other.deletes_of.begin(), other.deletes_of.end());
  tables.insert(other.tables.begin(), other.tables.end());
}

ChangeLog::SubscriptionId ChangeLog::Subscribe(Subscriber fn, InterestFn interest) {
  std::lock_guard<std::mutex> lock(mutex_);
  const SubscriptionId id = next_id_++;
  subscribers_.emplace(id, std::move(fn));
  std::lock_guard<std::mutex> interest_lock(interest_mutex_);
  interests_.emplace(id, std::move(interest));
  return id;
}

void ChangeLog::Unsubscribe(SubscriptionId id) {
  std::lock_guard<std::mutex> lock(mutex_);
  subscribers_.erase(id);
  std::lock_guard<std::mutex> interest_lock(interest_mutex_);
  interests_.erase(id);
}

ChangeInterest ChangeLog::Interest() const {
  ChangeInterest all;
  std::lock_guard<std::mutex> lock(interest_mutex_);
  for (const auto& [id, fn] : interests_) {
    if (!fn) return ChangeInterest::Everything();
    all.Add(fn());
  }
  return all;
}

void ChangeLog::Publish(const std::vector<ChangeRecord>& batch) {
  if (batch.empty()) return;
  // Delivering under the lock is what lets Unsubscribe promise no call after it returns.
  std::lock_guard<std::mutex> lock(mutex_);
  last_sequence_ = batch.back().sequence;
  for (auto& [id, fn] : subscribers_) {
    try {
      fn(batch);
    } catch (const std::exception& e) {
      // The transaction is committed; one failing consumer must not starve the others.
      std::cerr << "change subscriber " << id << " failed: " << e.what() << std::endl;
    }
  }
}

int64_t ChangeLog::last_sequence() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_sequence_;
}

}  // namespace ib::storage
