// NSGA-II over a sweep's grid with pagmo2 (nsga2_search.h): the grid as a pagmo problem with
// integer variables and a batch fitness evaluator that runs the individuals as sweep points.
#include "sweep/nsga2_search.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/bfe.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>

namespace neurochip::sim {
namespace {

/// Runs batches of decision vectors as grid points and returns their objective vectors.
class GridEvaluator {
 public:
  GridEvaluator(const SweepSpec& spec, SweepDb& db, const BatchRunner& run) : spec_(spec), db_(db), run_(run) {}

  std::vector<pagmo::vector_double> evaluate(const std::vector<pagmo::vector_double>& xs) {
    std::vector<uint64_t> ids;
    for (const pagmo::vector_double& x : xs) {
      std::vector<uint64_t> index;
      for (size_t g = 0; g < x.size(); ++g) {
        const double hi = static_cast<double>(spec_.groups[g].size() - 1);
        index.push_back(static_cast<uint64_t>(std::clamp(std::nearbyint(x[g]), 0.0, hi)));
      }
      ids.push_back(grid_id(spec_, index));
    }
    std::set<uint64_t> distinct(ids.begin(), ids.end());
    std::vector<SweepPoint> points;
    for (uint64_t id : distinct) points.push_back(grid_point(spec_, id));
    std::vector<const SweepPoint*> batch;
    for (const SweepPoint& p : points) batch.push_back(&p);
    run_(batch);
    std::map<uint64_t, std::vector<double>> objectives;
    for (uint64_t id : distinct) {
      const std::optional<PointResult> r = db_.result(id);
      objectives[id] = r ? search_objectives(spec_, *r) : std::vector<double>(spec_.objectives.size(), kInfeasible);
    }
    std::vector<pagmo::vector_double> out;
    for (uint64_t id : ids) out.push_back(objectives.at(id));
    return out;
  }

 private:
  const SweepSpec& spec_;
  SweepDb& db_;
  const BatchRunner& run_;
};

struct GridProblem {
  std::shared_ptr<GridEvaluator> eval;
  pagmo::vector_double lower, upper;
  pagmo::vector_double::size_type objectives = 2;

  pagmo::vector_double fitness(const pagmo::vector_double& x) const { return eval->evaluate({x}).front(); }
  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const { return {lower, upper}; }
  pagmo::vector_double::size_type get_nobj() const { return objectives; }
  pagmo::vector_double::size_type get_nix() const { return lower.size(); }
  pagmo::thread_safety get_thread_safety() const { return pagmo::thread_safety::none; }
};

struct GridBatchEvaluator {
  std::shared_ptr<GridEvaluator> eval;

  pagmo::vector_double operator()(const pagmo::problem& p, const pagmo::vector_double& dvs) const {
    const size_t n = p.get_nx();
    std::vector<pagmo::vector_double> xs;
    for (size_t i = 0; i + n <= dvs.size(); i += n) xs.emplace_back(dvs.begin() + static_cast<long>(i), dvs.begin() + static_cast<long>(i + n));
    pagmo::vector_double out;
    for (const pagmo::vector_double& f : eval->evaluate(xs)) out.insert(out.end(), f.begin(), f.end());
    return out;
  }
  pagmo::thread_safety get_thread_safety() const { return pagmo::thread_safety::none; }
};

}  // namespace

std::vector<double> search_objectives(const SweepSpec& spec, const PointResult& r) {
  if (!point_feasible(r, spec.objectives, spec.constraints)) return std::vector<double>(spec.objectives.size(), kInfeasible);
  const std::map<std::string, double> metrics(r.metrics.begin(), r.metrics.end());
  std::vector<double> out;
  for (const SweepObjective& o : spec.objectives) {
    const double v = metrics.at(o.metric);
    out.push_back(o.maximise ? -v : v);
  }
  return out;
}

void search_nsga2(const SweepSpec& spec, SweepDb& db, const BatchRunner& run) {
  auto eval = std::make_shared<GridEvaluator>(spec, db, run);
  GridProblem udp{eval, {}, {}, spec.objectives.size()};
  for (const SweepGroup& g : spec.groups) {
    udp.lower.push_back(0);
    udp.upper.push_back(static_cast<double>(g.size() - 1));
  }
  const auto seed = static_cast<unsigned>(spec.strategy.seed & 0xFFFFFFFFu);
  const pagmo::problem problem{udp};
  const pagmo::bfe batch{GridBatchEvaluator{eval}};
  pagmo::population pop(problem, batch, static_cast<pagmo::population::size_type>(spec.strategy.population), seed);
  pagmo::nsga2 algorithm(static_cast<unsigned>(spec.strategy.generations), 0.95, 10., 0.01, 50., seed);
  algorithm.set_bfe(batch);
  pop = algorithm.evolve(pop);
}

}  // namespace neurochip::sim
