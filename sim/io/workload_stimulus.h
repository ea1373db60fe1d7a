// The off-chip stimulus of a workload as a lazy, timed source (SPEC.md §5.3; configs/README.md
// "Expansion"): each Poisson input draws its events one timestep at a time from its own SplitMix64
// stream, each trace input reads its file event by event, so a run never holds its stimulus in
// memory. Events of a timestep come input by input in file order, channels ascending.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "base/run_config.h"
#include "base/splitmix64.h"
#include "common/aer_types.h"
#include "io/input_trace.h"

namespace neurochip::sim {

/// Poisson firing threshold of one draw (configs/README.md): a channel fires when the high 32 bits
/// of its draw are below round(rate_hz * duration_us * 10^-6 * 2^32), at most 2^32 - 1.
uint64_t poisson_threshold(double rate_hz, uint32_t duration_us);

class WorkloadStimulus : public hw::StimulusSource {
 public:
  /// Opens the trace files of `rc` (validated by the loader); throws std::runtime_error if one can
  /// no longer be read. `rc` must outlive the source.
  explicit WorkloadStimulus(const RunConfig& rc);
  ~WorkloadStimulus() override;

  /// Timesteps must be asked for in increasing order, each at most once.
  void packets_for(uint64_t timestep, hw::Ps tick, std::vector<hw::AerPacket>& out) override;

 private:
  struct Input;
  std::vector<std::unique_ptr<Input>> inputs_;
  const SampleSet* samples_ = nullptr;   ///< the run's samples, or null
  const Population* sample_population_ = nullptr;
  size_t next_sample_event_ = 0;
  std::vector<uint32_t> sample_channels_;
};

/// The whole stimulus of `rc` in memory, one event list per timestep (tests and small runs).
hw::InputSchedule stimulus_schedule(const RunConfig& rc);

}  // namespace neurochip::sim
