// The fully decoded and validated description of one run: chip, workload and the stimulus
// expanded from it. Produced by config_loader.cpp (the only code that sees YAML).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/energy_table.h"
#include "chip/chip_config.h"
#include "core/core_image.h"
#include "core/sample_protocol.h"
#include "common/aer_types.h"

namespace neurochip::sim {

enum class PopulationKind { kInput, kNeuron, kReadout };

/// A named group of slots of one core.
struct Population {
  std::string name;
  PopulationKind kind = PopulationKind::kNeuron;
  uint32_t size = 0;
  std::string core;           ///< core name as written in the YAML, or the one `core: auto` chose
  uint32_t core_index = 0;    ///< resolved index into ChipConfig::cores
  bool auto_placed = false;   ///< `core: auto`: placed by the loader's fill (SPEC §7.7)
  uint32_t first_slot = 0;    ///< resolved: populations of a kind are packed in file order
  /// `neuron:` (kind neuron, on a core with word parameters, SPEC §3.1): the threshold and alpha
  /// of the neuron words its neurons occupy; absent: the core's.
  std::optional<int32_t> threshold;
  std::optional<uint32_t> alpha;
};

enum class Connectivity { kDense, kOneToOne, kRandom, kList, kFile };
enum class WeightDist { kConst, kUniform };

/// A block of synapses between two populations of the same core.
struct Projection {
  std::string from;
  std::string to;
  Connectivity connectivity = Connectivity::kDense;
  double probability = 1.0;                    ///< random only, 0..1
  WeightDist weight_dist = WeightDist::kConst;
  int32_t weight = 0;                          ///< const
  int32_t weight_min = 0, weight_max = 0;      ///< uniform, inclusive
  std::vector<std::array<int32_t, 3>> synapses;///< list: {pre, post, weight}, population-relative
  std::string file;                            ///< file: CSV "pre,post,weight", resolved path
  uint64_t seed = 0;                           ///< resolved stream seed (workload seed if not given)
};

enum class InputKind { kPoisson, kTrace };

/// External stimulus driving one input population.
struct InputSpec {
  std::string population;
  InputKind kind = InputKind::kPoisson;
  double rate_hz = 0.0;                        ///< poisson
  uint64_t seed = 0;                           ///< poisson stream seed (resolved)
  std::string trace;                           ///< trace: resolved path of "timestep,index" CSV
};

enum class SampleFormat { kCsv, kReckon };

/// `workload.samples.test` as decoded (copied into SampleSet).
struct TestSet {
  std::string file;
  SampleFormat format = SampleFormat::kCsv;
  std::string labels;
  uint64_t count = 0;
};

/// One sample of a run, in run order.
struct RunSample {
  uint32_t epoch = 0;
  bool test = false;        ///< a test-pass sample: learning off (SPEC §4.5)
  uint32_t index = 0;       ///< its index in its file
  int32_t target = -1;      ///< its target label, or -1
};

/// A run as a sequence of samples (configs/README.md `workload.samples`, SPEC §4.5): `epochs` passes
/// over the training file (learning on), each followed by a pass over the test file when there is
/// one (learning off). The loader reads both datasets once (each bounded by the CSV file size
/// limit) and lays the run out in `run` and `events`; the run's timesteps are run.size() ×
/// timesteps_per_sample.
struct SampleSet {
  bool enabled = false;
  std::string population;                 ///< the input population the events drive
  std::string file;                       ///< resolved path of the training (or only) dataset
  SampleFormat format = SampleFormat::kCsv;
  std::string labels;                     ///< csv: resolved path of the `sample,label` file ("" = none)
  uint64_t timesteps_per_sample = 0;
  uint64_t count = 0;                     ///< samples of the file per pass (the first `count`)
  uint64_t infer_from = 0;                ///< ticks >= infer_from vote (INFER_ACC)
  uint64_t supervise_from = UINT64_MAX;   ///< ticks >= supervise_from are supervised (TARGET_VALID)
  uint64_t epochs = 1;
  bool shuffle = false;                   ///< training order reshuffled each epoch from shuffle_seed
  uint64_t shuffle_seed = 0;
  /// The test pass after each epoch (test_file empty: none).
  std::string test_file;
  SampleFormat test_format = SampleFormat::kCsv;
  std::string test_labels;
  uint64_t test_count = 0;
  std::vector<RunSample> run;             ///< every sample of the run, in run order
  /// Every input event of the run, in run order: (timestep of the run, channel).
  std::vector<std::pair<uint64_t, uint32_t>> events;
};

/// The sample protocol of a run of `samples` (none when it is not one).
inline hw::SampleSchedule sample_schedule(const SampleSet& samples) {
  if (!samples.enabled) return {};
  std::vector<hw::SampleSchedule::Sample> run;
  for (const RunSample& r : samples.run) run.push_back({r.target, !r.test});
  return hw::SampleSchedule(samples.timesteps_per_sample, samples.infer_from, samples.supervise_from, run);
}

struct WorkloadConfig {
  uint64_t timesteps = 0;
  uint64_t seed = 1;
  std::vector<Population> populations;
  std::vector<Projection> projections;
  std::vector<InputSpec> inputs;
  SampleSet samples;
};

/// Everything a run needs: the chip's hardware (small, copyable), the image the workload loads into
/// it (the expanded weights; moved into the SRAMs when the chip is elaborated) and the workload; the
/// stimulus is drawn from `workload.inputs` as the run goes (io/workload_stimulus.h).
struct RunConfig {
  std::string source_file;
  hw::ChipConfig chip;
  EnergyConfig energy;  ///< `chip.energy`: the energy and area table (docs/energy.md)
  hw::ChipImage image;
  WorkloadConfig workload;
};

}  // namespace neurochip::sim
