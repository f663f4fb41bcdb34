// IdenticalJson: two nlohmann trees with the same value *types* as well as values, which
// nlohmann's operator== does not check (it calls 1u, 1 and 1.0 equal): the quick parser must
// build exactly nlohmann's tree (storage/json_quick_parse.h), and code downstream tells
// number_unsigned from number_integer. Doubles compare by bit pattern (-0.0 is not 0.0).
// Iterative: a tree may be nested as deep as the parser allows.
#pragma once

#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace ib::test {

inline bool IdenticalJson(const nlohmann::json& a, const nlohmann::json& b) {
  std::vector<std::pair<const nlohmann::json*, const nlohmann::json*>> pending{{&a, &b}};
  while (!pending.empty()) {
    const auto [x, y] = pending.back();
    pending.pop_back();
    if (x->type() != y->type() || x->size() != y->size()) return false;
    if (x->is_number_float()) {
      const double dx = x->get<double>(), dy = y->get<double>();
      if (std::memcmp(&dx, &dy, sizeof dx) != 0) return false;
    } else if (x->is_object()) {
      for (auto ix = x->begin(), iy = y->begin(); ix != x->end(); ++ix, ++iy) {
        if (ix.key() != iy.key()) return false;
        pending.emplace_back(&*ix, &*iy);
      }
    } else if (x->is_array()) {
      for (size_t i = 0; i < x->size(); ++i) pending.emplace_back(&(*x)[i], &(*y)[i]);
    } else if (*x != *y) {
      return false;
    }
  }
  return true;
}

}  // namespace ib::test
