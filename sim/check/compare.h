// Comparison of two runs (README "Comparing runs"): the first divergence — file, timestep, cycle,
// core, neuron or readout, the field and the two values — between two in-memory RunResults (the
// equivalence tests) or two published run directories (`neurochip compare`), whose manifests are
// checked first (traces/README.md, "Manifest"). spikes.csv, timesteps.csv (every column, by name)
// and readouts.csv are compared row by row in file order; stats.json by statistic name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/run_result.h"

namespace neurochip::sim {

struct Divergence {
  std::string file;                 ///< spikes.csv, timesteps.csv, readouts.csv, stats.json, final_state, counters, run
  uint64_t row = 0;                 ///< 1-based data row of the file (0: its header, or not a row)
  std::optional<uint64_t> timestep;
  std::optional<uint64_t> cycle;    ///< spike cycle, or a record's start cycle
  std::optional<uint64_t> core;
  std::string index_name;           ///< "neuron" or "readout" when `index` is set
  std::optional<uint64_t> index;
  std::string field;                ///< the column, state field, counter or statistic that differs
  std::string a, b;                 ///< its two values
  std::string row_a, row_b;         ///< the two rows, where there are rows
  /// "spikes.csv row 12 (timestep 3, cycle 41, core 0, neuron 2): neuron 2 vs 3".
  std::string str() const;
};

/// The first divergence of `b` from `a`, or none: spikes, per-timestep records, readout traces,
/// final state, counters and the run totals (total cycles, overruns, halt, timesteps completed,
/// unmapped stimulus packets), in that order of precedence at equal timesteps; the earliest
/// timestep wins. Output packets are not compared (only the cycle model counts them).
std::optional<Divergence> first_divergence(const RunResult& a, const RunResult& b);

struct DirComparison {
  std::optional<Divergence> first;           ///< the earliest divergence over the compared files
  std::vector<Divergence> per_file;          ///< the first divergence of each compared file that has one
  std::vector<std::string> compared;         ///< files both runs have and that were compared
  std::vector<std::string> only_in_a, only_in_b;
};

/// Compares two run directories. Throws IoError if either holds no complete run (no manifest, or
/// files that do not match it) or a file cannot be parsed.
DirComparison compare_run_dirs(const std::string& dir_a, const std::string& dir_b);

}  // namespace neurochip::sim
