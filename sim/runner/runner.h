// The job runner: simulates a decoded RunConfig at the chosen fidelity, reports progress, and
// writes the result files (spikes, per-timestep cycles, readouts, stats, resolved config, VCD).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/stats.h"
#include "base/run_config.h"
#include "base/run_result.h"

namespace neurochip::sim {

enum class Fidelity { kCycle, kFunctional };

struct RunOptions {
  Fidelity fidelity = Fidelity::kCycle;
  std::string out_dir = "out";
  bool vcd = false;                 ///< cycle fidelity only: write waves.vcd
  uint32_t vcd_neurons = 16;        ///< membranes traced per core
  bool progress = true;             ///< progress line on stderr for runs longer than ~2 s
};

struct JobOutcome {
  RunResult result;
  std::vector<hw::StatView> stats;
  double wall_seconds = 0.0;
};

/// Simulates the run. With opts.vcd the waveform is written to <out_dir>/waves.vcd.
JobOutcome simulate(const RunConfig& rc, const RunOptions& opts);

/// Statistics of a functional run, in the same tree, names and units as the cycle model's.
std::vector<hw::StatView> functional_stats(const hw::ChipConfig& chip, const RunResult& result);

/// Writes spikes.csv, timesteps.csv, readouts.csv (if the chip has readouts), populations.csv,
/// stats.json and resolved_config.yaml into opts.out_dir, each atomically; then removes a stale
/// readouts.csv or waves.vcd that an earlier run left and this run did not produce.
void write_outputs(const RunConfig& rc, const RunOptions& opts, const JobOutcome& outcome,
                   const std::string& resolved_config_yaml);

const char* fidelity_name(Fidelity f);

}  // namespace neurochip::sim
