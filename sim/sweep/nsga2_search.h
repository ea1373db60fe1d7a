// The `nsga2` strategy of a sweep (configs/README.md "Sweep files"): a seeded multi-objective search
// over the grid with pagmo2's NSGA-II. A decision vector is one value index per axis group (integer
// variables); every batch of individuals pagmo asks to evaluate is handed, as grid points, to the
// sweep's runner (which runs them in parallel and records them), and their objectives are read back
// from the database: minimised as they are, maximised negated, and an infeasible point (not ok, a
// metric constraint broken, an objective missing) pushed behind every feasible one.
#pragma once

#include <functional>
#include <vector>

#include "sweep/sweep_db.h"
#include "sweep/sweep_spec.h"

namespace neurochip::sim {

/// Runs every point of a batch (distinct, in ascending order) and records it in the database.
using BatchRunner = std::function<void(const std::vector<const SweepPoint*>&)>;

/// The objective vector NSGA-II minimises for a recorded point (infeasible: kInfeasible each).
std::vector<double> search_objectives(const SweepSpec& spec, const PointResult& r);
inline constexpr double kInfeasible = 1e300;

/// Evolves `strategy.population` individuals for `strategy.generations` generations from
/// `strategy.seed`, evaluating through `run` and `db`.
void search_nsga2(const SweepSpec& spec, SweepDb& db, const BatchRunner& run);

}  // namespace neurochip::sim
