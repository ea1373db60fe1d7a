// The sample protocol of a run (SPEC.md §4.5): a run may be a sequence of samples of equal length,
// as ReckOn's host runs them (SAMPLE high for T ticks, INFER_ACC over a window of them). Maps a
// timestep to its place in the sample: whether it is the sample's first tick (IDLE -> PROP, no STEP),
// its last (STEP, STEP_DONE and SEND, no PROP), whether the readouts vote in it and whether a
// target is valid for learning. SystemC-free.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace neurochip::hw {

/// Where a timestep sits in the run's sample protocol (all false when the run has no samples).
struct TimestepContext {
  bool sample_first = false;  ///< first tick of a sample: the core resets, no STEP, no STEP_DONE
  bool sample_last = false;   ///< last tick of a sample: STEP, STEP_DONE, SEND; no PROP
  bool infer = false;         ///< the readouts vote in STEP_DONE (ReckOn's INFER_ACC)
  /// A target is valid (ReckOn's TARGET_VALID): a learning engine updates in this timestep.
  bool supervise = false;
  int32_t target = -1;        ///< the sample's target label (-1: none)
  /// The sample learns (ReckOn's SPI_DO_EPROP as programmed for its pass): off in a test pass,
  /// where the learning engine neither updates nor runs its traces.
  bool learn = true;
  uint64_t sample = 0;        ///< index of the sample
  uint64_t tick = 0;          ///< timestep within the sample
};

class SampleSchedule {
 public:
  /// A run without samples.
  SampleSchedule() = default;
  /// One sample of the run: its target label (-1: none) and whether it learns.
  struct Sample {
    int32_t target = -1;
    bool learn = true;
  };
  /// Samples of `timesteps_per_sample` (>= 2) timesteps; ticks >= infer_from vote; ticks >=
  /// supervise_from of a sample with a target are supervised; `samples` describes each sample in
  /// run order (a sample beyond it has no target and learns).
  SampleSchedule(uint64_t timesteps_per_sample, uint64_t infer_from, uint64_t supervise_from = UINT64_MAX,
                 std::vector<Sample> samples = {})
      : per_sample_(timesteps_per_sample),
        infer_from_(infer_from),
        supervise_from_(supervise_from),
        samples_(std::move(samples)) {}

  bool active() const { return per_sample_ != 0; }
  uint64_t timesteps_per_sample() const { return per_sample_; }
  uint64_t infer_from() const { return infer_from_; }

  TimestepContext at(uint64_t timestep) const {
    TimestepContext c;
    if (per_sample_ == 0) return c;
    c.sample = timestep / per_sample_;
    c.tick = timestep % per_sample_;
    c.sample_first = c.tick == 0;
    c.sample_last = c.tick + 1 == per_sample_;
    c.infer = c.tick >= infer_from_;
    if (c.sample < samples_.size()) {
      c.target = samples_[c.sample].target;
      c.learn = samples_[c.sample].learn;
    }
    c.supervise = c.tick >= supervise_from_ && c.target >= 0;
    return c;
  }

 private:
  uint64_t per_sample_ = 0;
  uint64_t infer_from_ = 0;
  uint64_t supervise_from_ = UINT64_MAX;
  std::vector<Sample> samples_;
};

}  // namespace neurochip::hw
