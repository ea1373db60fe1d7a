// The non-dominated set of a sweep's points over its objectives (README "Reports"). A point
// dominates another when it is no worse in every objective and better in at least one; equal
// points do not dominate each other, so duplicates are all kept.
#pragma once

#include <cstddef>
#include <vector>

namespace neurochip::sim {

/// Indices (ascending) of the rows of `values` (one row per point, one column per objective) that no
/// other row dominates; `maximise[k]` says whether objective k is maximised.
std::vector<size_t> non_dominated(const std::vector<std::vector<double>>& values, const std::vector<bool>& maximise);

}  // namespace neurochip::sim
