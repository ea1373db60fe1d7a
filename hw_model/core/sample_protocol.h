// The sample protocol of a run (SPEC.md §4.5): a run may be a sequence of samples of equal length,
// as ReckOn's host runs them (SAMPLE high for T ticks, INFER_ACC over a window of them). Maps a
// timestep to its place in the sample: whether it is the sample's first tick (IDLE -> PROP, no STEP),
// its last (STEP, STEP_DONE and SEND, no PROP) and whether the readouts vote in it. SystemC-free.
#pragma once

#include <cstdint>

namespace neurochip::hw {

/// Where a timestep sits in the run's sample protocol (all false when the run has no samples).
struct TimestepContext {
  bool sample_first = false;  ///< first tick of a sample: the core resets, no STEP, no STEP_DONE
  bool sample_last = false;   ///< last tick of a sample: STEP, STEP_DONE, SEND; no PROP
  bool infer = false;         ///< the readouts vote in STEP_DONE (ReckOn's INFER_ACC)
  uint64_t sample = 0;        ///< index of the sample
  uint64_t tick = 0;          ///< timestep within the sample
};

class SampleSchedule {
 public:
  /// A run without samples.
  SampleSchedule() = default;
  /// Samples of `timesteps_per_sample` (>= 2) timesteps; ticks >= infer_from vote.
  SampleSchedule(uint64_t timesteps_per_sample, uint64_t infer_from)
      : per_sample_(timesteps_per_sample), infer_from_(infer_from) {}

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
    return c;
  }

 private:
  uint64_t per_sample_ = 0;
  uint64_t infer_from_ = 0;
};

}  // namespace neurochip::hw
