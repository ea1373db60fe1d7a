// The job runner: simulates a decoded RunConfig at the chosen fidelity, reports progress, and
// streams the selected result files (spikes, per-timestep cycles, readouts, populations, stats,
// resolved config, VCD) into the output directory, published as one set with a manifest
// (sim/io/output_set.h; README "Outputs").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result_sink.h"
#include "base/run_config.h"
#include "base/run_identity.h"
#include "energy/energy_model.h"
#include "io/output_files.h"
#include "io/link_vcd.h"
#include "io/output_set.h"
#include "learning/eprop_backend.h"

namespace neurochip::sim {

enum class Fidelity { kCycle, kFunctional, kFloat };



struct RunOptions {
  Fidelity fidelity = Fidelity::kCycle;
  std::string out_dir = "out";
  OutputSelection outputs;
  bool vcd = false;                 ///< cycle fidelity only: write waves.vcd
  uint32_t vcd_neurons = 16;        ///< membranes traced per core
  bool progress = true;             ///< progress line on stderr for runs longer than ~2 s
  RunIdentity identity;             ///< written into stats.json
  bool packets = false;             ///< a chip with a network: write packets.csv (every packet)
  std::vector<LinkRef> vcd_links;   ///< a chip with a network: links traced into links.vcd
  /// The learning backends of `learning.backend` rtl | lockstep, given the run directory (where
  /// lockstep keeps its waveform window); empty: this build has no RTL (the loader refused them).
  std::function<hw::EpropBackendFactory(const std::string& run_dir)> learning_backends;
};

/// What a finished job reports for its summary line.
struct JobOutcome {
  RunTotals totals;
  uint64_t spikes = 0;
  uint64_t records = 0;              ///< core timesteps
  uint64_t latency_sum = 0, latency_max = 0;
  double wall_seconds = 0.0;         ///< the simulation, writing its streamed files included
  std::string run_id;
  uint64_t samples = 0;              ///< a run of samples: sample results (per core)
  uint64_t samples_correct = 0;      ///< of those, label == target
  /// Per epoch of a run of samples: (training pass, test pass) labelled samples and correct labels.
  std::vector<std::pair<SampleResultWriter::Tally, SampleResultWriter::Tally>> epochs;
  /// A lockstep run's first divergence (SPEC §6.7): the run stopped there and published its files
  /// up to the timestep before it, divergence.json and rtl_window.vcd.
  std::optional<hw::LearningDivergence> divergence;
};

/// Locks opts.out_dir, simulates the run while streaming its files into temporaries there, and
/// publishes them with their manifest (also after a halt: the files then hold the timesteps up to
/// it). Throws IoError if the directory is locked by another run or a file cannot be written; the
/// earlier contents of the directory then stay as they were. The cycle fidelity moves rc.image into
/// the chip's SRAMs (the weights exist once): rc.image is empty afterwards.
JobOutcome run_job(RunConfig& rc, const RunOptions& opts, const std::string& resolved_config_yaml);

const char* fidelity_name(Fidelity f);

/// What the energy model prices (docs/energy.md): the run's counters, timesteps, chip cycles and
/// inferences (timesteps / timesteps per sample, or 1 without samples).
energy::RunActivity run_activity(const RunConfig& rc, const RunTotals& totals);

}  // namespace neurochip::sim
