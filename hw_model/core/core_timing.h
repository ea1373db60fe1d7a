// Per-timestep phase cycle costs of a core (SPEC.md §4.1), as a value type and as the closed-form
// formula. The cycle model counts its cycles while it walks the phases; the functional reference
// and the tests use the formula. SystemC-free.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/core_config.h"

namespace neurochip::hw {

/// Cycles spent in each phase of one timestep of one core.
struct PhaseCycles {
  uint64_t sync = 0;
  uint64_t step = 0;
  uint64_t step_done = 0;
  uint64_t prop = 0;
  uint64_t total() const { return sync + step + step_done + prop; }
  bool operator==(const PhaseCycles& o) const {
    return sync == o.sync && step == o.step && step_done == o.step_done && prop == o.prop;
  }
};

/// What a core reports at the end of each timestep (one row of timesteps.csv).
struct CoreTimestepReport {
  uint64_t timestep = 0;
  uint32_t core = 0;
  uint64_t start_cycle = 0;
  PhaseCycles cycles;
  uint64_t active_indices = 0;
  uint64_t input_events = 0;
  uint64_t spikes = 0;
  bool operator==(const CoreTimestepReport& o) const {
    return timestep == o.timestep && core == o.core && start_cycle == o.start_cycle &&
           cycles == o.cycles && active_indices == o.active_indices &&
           input_events == o.input_events && spikes == o.spikes;
  }
};

/// Work of one timestep that the cost depends on.
struct TimestepWork {
  uint64_t active_indices = 0;       ///< A: indices with an input event and/or a spike
  uint64_t input_only_indices = 0;   ///< A_s: active indices >= enabled neurons
};

inline uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// SPEC §4.1 closed form.
inline PhaseCycles phase_cycles_formula(const CoreConfig& cfg, const TimestepWork& work) {
  const CoreImage& im = cfg.image;
  const TimingProfile& t = cfg.timing;
  const uint64_t words = ceil_div(im.neurons, cfg.memory.neurons_per_word);
  const uint64_t sweep = words * t.neuron_word_cycles;
  const uint64_t scan = std::max(im.inputs, im.neurons);
  PhaseCycles p;
  p.sync = t.tick_sync_cycles;
  p.step = std::max<uint64_t>({sweep, im.inputs, im.readouts}) + t.step_tail_cycles;
  p.step_done = t.step_done_cycles;
  p.prop = scan * t.scan_cycles_per_index + work.active_indices * sweep +
           work.input_only_indices * t.input_only_cycles;
  return p;
}

/// Cycle, counted from the timestep's first cycle, at which neuron j's spike leaves the core (§4.1).
inline uint64_t spike_cycle_offset(const CoreConfig& cfg, uint32_t neuron) {
  const uint64_t c = cfg.timing.neuron_word_cycles;
  return cfg.timing.tick_sync_cycles + (neuron / cfg.memory.neurons_per_word) * c + c - 1;
}

}  // namespace neurochip::hw
