// A sweep file (configs/README.md "Sweep files"): a base run description, axes over any key of its
// schema (lists, integer ranges, lin/log spaces, zipped groups; their product is the grid),
// constraints on resolved values and on metrics, objectives, the sampling strategy (grid or seeded
// random) and per-point limits; decoded and checked once, with positioned errors, into these
// typed structs. A point is one combination of axis values, numbered by its place in the grid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/diagnostics.h"

namespace neurochip::sim {

/// One swept key and its values, as the text a `--set key=value` override takes.
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
  SourceLocation loc;
};

/// An axis alone, or a `zip` of axes of equal length that move together.
struct SweepGroup {
  std::vector<SweepAxis> axes;
  size_t size() const { return axes.front().values.size(); }
};

/// `min` ≤ x ≤ `max` on a key of the point's resolved configuration or on a metric of its stats.
struct SweepConstraint {
  enum class On { kKey, kMetric };
  On on = On::kMetric;
  std::string name;
  std::optional<double> min, max;
  SourceLocation loc;
  bool holds(double x) const { return (!min || x >= *min) && (!max || x <= *max); }
};

struct SweepObjective {
  std::string metric;
  bool maximise = false;
};

struct SweepStrategy {
  enum class Kind { kGrid, kRandom, kNsga2 };
  Kind kind = Kind::kGrid;
  uint64_t points = 0;       ///< random: distinct grid points drawn
  uint64_t seed = 1;         ///< random: seed of the draw; nsga2: of the search (its low 32 bits)
  uint64_t population = 0;   ///< nsga2: individuals per generation (a multiple of 4, at least 8)
  uint64_t generations = 0;  ///< nsga2: generations evolved after the first population
};

struct SweepSpec {
  std::string file;                          ///< the sweep file, absolute
  std::string base;                          ///< the base run description, absolute
  std::vector<std::string> set;              ///< overrides of every point, before the axes
  std::string fidelity = "functional";       ///< cycle or functional
  std::string outputs = "stats,config";      ///< each point's result files (`--outputs`)
  std::vector<SweepGroup> groups;            ///< in file order; the last varies fastest
  std::vector<SweepConstraint> constraints;
  std::vector<SweepObjective> objectives;
  SweepStrategy strategy;
  double time_limit_s = 3600;                ///< per point, wall clock
  uint64_t memory_limit_mb = 8192;           ///< per point, address space
  std::vector<std::string> report_metrics;   ///< metrics the report tabulates beside the objectives

  /// Points of the full grid.
  uint64_t grid_size() const;
  /// Every axis, zipped ones included, in file order.
  std::vector<const SweepAxis*> axes() const;
};

/// One point: its number in the grid and the value of every axis (key, override text).
struct SweepPoint {
  uint64_t id = 0;
  std::vector<std::pair<std::string, std::string>> values;
  /// The overrides of the point: the sweep's `set`, then key=value per axis.
  std::vector<std::string> overrides(const SweepSpec& spec) const;
};

/// Largest grid a sweep file may describe (points are numbered in 64 bits; a grid sweep runs them).
inline constexpr uint64_t kMaxGridPoints = uint64_t{1} << 40;

/// Reads and checks `path` (every axis key and value against the run schema, the base file's
/// existence); throws ConfigError with every problem found.
SweepSpec load_sweep_file(const std::string& path);
/// The same for an in-memory document named `name`, relative paths against `base_dir`.
SweepSpec load_sweep_text(const std::string& text, const std::string& name, const std::string& base_dir);

/// The grid point number `id` (0 ≤ id < grid_size()).
SweepPoint grid_point(const SweepSpec& spec, uint64_t id);
/// The number of the grid point with value index `index[g]` in group g.
uint64_t grid_id(const SweepSpec& spec, const std::vector<uint64_t>& index);
/// The points the strategy runs, in run order: the whole grid in order, or `points` distinct grid
/// points drawn with SplitMix64 from `seed` (in ascending order of their number). An NSGA-II search
/// chooses its points as it goes (nsga2_search.h): none here.
std::vector<SweepPoint> sweep_points(const SweepSpec& spec);

}  // namespace neurochip::sim
