// Non-dominated filtering (pareto.h): the direct O(n² k) comparison, exact and enough for the
// thousands of points a sweep records.
#include "sweep/pareto.h"

#include <stdexcept>

namespace neurochip::sim {

std::vector<size_t> non_dominated(const std::vector<std::vector<double>>& values, const std::vector<bool>& maximise) {
  const size_t k = maximise.size();
  for (const auto& row : values)
    if (row.size() != k) throw std::invalid_argument("non_dominated: a row without one value per objective");
  const auto better_or_equal = [&](size_t obj, double a, double b) { return maximise[obj] ? a >= b : a <= b; };
  std::vector<size_t> out;
  for (size_t i = 0; i < values.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < values.size() && !dominated; ++j) {
      if (j == i) continue;
      bool no_worse = true, strictly = false;
      for (size_t o = 0; o < k && no_worse; ++o) {
        no_worse = better_or_equal(o, values[j][o], values[i][o]);
        strictly = strictly || values[j][o] != values[i][o];
      }
      dominated = no_worse && strictly;
    }
    if (!dominated) out.push_back(i);
  }
  return out;
}

}  // namespace neurochip::sim
