// Expansion of a decoded workload into what the hardware is loaded with (configs/README.md,
// "Expansion"): population slots, the dense weight images of every core and the per-timestep
// input events. Every random draw comes from SplitMix64, so a config and its seeds fix the run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "base/run_config.h"
#include "base/splitmix64.h"
#include "config/yaml_reader.h"

namespace neurochip::sim {


/// Default seed of projection `index` (0-based): splitmix64(seed ^ (index + 1) * 0x9E3779B97F4A7C15).
uint64_t derived_projection_seed(uint64_t workload_seed, size_t index);
/// Default seed of input `index` (0-based): splitmix64(seed ^ (index + 1) * 0xD1B54A32D192ED03).
uint64_t derived_input_seed(uint64_t workload_seed, size_t index);

/// Signed weight range of a core's `weights.bits`: [-2^(b-1), 2^(b-1) - 1].
int32_t weight_min(int bits);
int32_t weight_max(int bits);
/// Expectation texts shared by the loader and the synapse-file reader, e.g.
/// "an integer in -128..127 (weights.bits of core 'core0' is 8)" and
/// "an integer in 0..63 (size of population 'in' is 64)".
std::string weight_expectation(const hw::CoreConfig& core);
std::string index_expectation(const Population& population);

/// One synapse of a synapse file (population-relative indices), with where it was written.
struct SynapseEntry {
  int32_t pre = 0;
  int32_t post = 0;
  int32_t weight = 0;
  SourceLocation loc;
};

/// Parses a synapse file from a stream (`name` is the file name used in diagnostics): one
/// "pre,post,weight" line per synapse of the projection `from` -> `to` on `core`, an optional
/// header line "pre,post,weight", '#' comment lines and blank lines. Valid lines are appended to
/// `out`; every bad cell is reported at its position, at most 20 problems per file.
void parse_synapse_file(std::istream& in, const std::string& name, const Population& from, const Population& to,
                        const hw::CoreConfig& core, std::vector<SynapseEntry>& out,
                        std::vector<ConfigDiagnostic>& diags);

/// Where the decoder found each workload item, and whether it accepted it (invalid items were
/// already reported and are skipped by the expansion).
struct PopulationSource {
  SourceLocation loc;
  bool valid = false;
  SourceLocation neuron_key;  ///< its `neuron:` key, when given
  SourceLocation core_value;  ///< its `core:` value, when given
  bool auto_core = false;     ///< `core: auto` on a chip with a network, to be placed (placement.cpp)
};
struct ProjectionSource {
  SourceLocation loc;
  SourceLocation file_key;               ///< connectivity: file
  std::vector<SourceLocation> synapses;  ///< connectivity: list, one per entry
  bool valid = false;
};
struct InputSource {
  SourceLocation loc;
  SourceLocation trace_key;
  bool valid = false;
};
struct WorkloadSources {
  SourceLocation noc;  ///< where chip.noc was written (table capacity errors)
  std::vector<PopulationSource> populations;
  std::vector<ProjectionSource> projections;
  std::vector<InputSource> inputs;
};

/// Packs populations into slots (Population::first_slot), checks core capacities, fills every
/// core's image from the projections (reading synapse files) and checks the inputs' trace files
/// line by line. Problems are appended to `diags`.
void build_network(RunConfig& rc, const WorkloadSources& sources, std::vector<ConfigDiagnostic>& diags);

}  // namespace neurochip::sim
