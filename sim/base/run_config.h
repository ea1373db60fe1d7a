// The fully decoded and validated description of one run: chip, workload and the stimulus
// expanded from it. Produced by config_loader.cpp (the only code that sees YAML).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

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
  std::string core;           ///< core name as written in the YAML
  uint32_t core_index = 0;    ///< resolved index into ChipConfig::cores
  uint32_t first_slot = 0;    ///< resolved: populations of a kind are packed in file order
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

/// A run as a sequence of samples (configs/README.md `workload.samples`, SPEC §4.5). The loader
/// reads the whole dataset once (it is bounded by the CSV file size limit) into `events` and
/// `targets`; the run's timesteps are count × timesteps_per_sample.
struct SampleSet {
  bool enabled = false;
  std::string population;                 ///< the input population the events drive
  std::string file;                       ///< resolved path of the dataset
  SampleFormat format = SampleFormat::kCsv;
  std::string labels;                     ///< csv: resolved path of the `sample,label` file ("" = none)
  uint64_t timesteps_per_sample = 0;
  uint64_t count = 0;                     ///< samples run (the first `count` of the file)
  uint64_t infer_from = 0;                ///< ticks >= infer_from vote (INFER_ACC)
  uint64_t supervise_from = UINT64_MAX;   ///< ticks >= supervise_from are supervised (TARGET_VALID)
  std::vector<int32_t> targets;           ///< per sample run: its target label, or -1
  /// Every input event of the samples run, in run order: (timestep of the run, channel).
  std::vector<std::pair<uint64_t, uint32_t>> events;
};

/// The sample protocol of a run of `samples` (none when it is not one).
inline hw::SampleSchedule sample_schedule(const SampleSet& samples) {
  if (!samples.enabled) return {};
  return hw::SampleSchedule(samples.timesteps_per_sample, samples.infer_from, samples.supervise_from, samples.targets);
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
  hw::ChipImage image;
  WorkloadConfig workload;
};

}  // namespace neurochip::sim
