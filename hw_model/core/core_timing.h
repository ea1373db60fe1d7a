// What a core reports about each timestep (SPEC.md §4.1): when it started, the cycles of every
// phase (indexed by the phase table), and the work done; plus the spec's spike emission cycle.
// SystemC-free.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "common/int_math.h"
#include "core/core_config.h"
#include "core/phase_table.h"

namespace neurochip::hw {

/// What a core reports at the end of each timestep (one row of timesteps.csv). Cycles count in
/// the core's own clock domain.
struct CoreTimestepReport {
  uint64_t timestep = 0;
  uint32_t core = 0;
  uint64_t start_cycle = 0;
  PhaseCycles cycles;
  uint64_t active_indices = 0;
  uint64_t input_events = 0;
  uint64_t spikes = 0;
  /// On a chip with a network: cycles between the core's ready cycle and its PROP (SPEC §7.7, §7.8).
  uint64_t network_wait_cycles = 0;
  int32_t label = -1;            ///< the label SEND sent in this timestep (SPEC §4.5), or -1
  std::vector<uint16_t> votes;   ///< with a label: the readouts' win counters, readout order
  bool operator==(const CoreTimestepReport& o) const {
    return timestep == o.timestep && core == o.core && start_cycle == o.start_cycle &&
           cycles == o.cycles && active_indices == o.active_indices &&
           input_events == o.input_events && spikes == o.spikes && network_wait_cycles == o.network_wait_cycles &&
           label == o.label && votes == o.votes;
  }
};

/// STEP's sweep length before its tail (SPEC §4.1): max(W_n · c, I, O), or with a counter
/// max(R, I, O).
inline uint64_t step_sweep_cycles(const CoreConfig& cfg, const CoreShape& shape) {
  const uint64_t words = ceil_div(shape.neurons, cfg.memory.neurons_per_word) * cfg.timing.neuron_word_cycles;
  const uint64_t walk = std::max<uint64_t>(shape.inputs, shape.readouts);
  return std::max<uint64_t>(cfg.timing.step_length == StepLength::kCounter ? shape.neurons : words, walk);
}
/// Of the first `words` neuron words, those STEP writes: all of them, except with a counter those
/// whose write cycle w · c + c − 1 falls at or after the sweep's end (SPEC §4.1).
inline uint64_t step_words_written(const CoreConfig& cfg, const CoreShape& shape, uint64_t words) {
  if (cfg.timing.step_length != StepLength::kCounter) return words;
  const uint64_t length = step_sweep_cycles(cfg, shape), c = cfg.timing.neuron_word_cycles;
  const uint64_t fit = length >= c ? (length - c) / c + 1 : 0;  // w with w·c + c − 1 < length
  return std::min(words, fit);
}

/// Whether PROP updates the input trace of an active input-only index in a timestep at `ctx`
/// (SPEC §4.1, §6.1): with input-weight learning in a sample that learns, or with forced traces
/// (ReckOn's SUPP state). Only those indices count as A_s.
inline bool updates_input_only_traces(const CoreConfig& cfg, const TimestepContext& ctx) {
  return (cfg.learning.update_input && ctx.learn) || cfg.learning.force_traces;
}
/// Whether the learning engine's traces run in a timestep at `ctx` (SPEC §6.1).
inline bool traces_run(const CoreConfig& cfg, const TimestepContext& ctx) {
  return (cfg.learning.learns() && ctx.learn) || cfg.learning.force_traces;
}

/// Cycle, counted from the timestep's first cycle, at which neuron j's spike leaves the core: the
/// last cycle of its neuron word in the STEP sweep, which begins `step_start` cycles into the
/// timestep (SPEC §4.1).
inline uint64_t spike_cycle_offset(const CoreConfig& cfg, uint64_t step_start, uint32_t neuron) {
  const uint64_t c = cfg.timing.neuron_word_cycles;
  return step_start + (neuron / cfg.memory.neurons_per_word) * c + c - 1;
}

}  // namespace neurochip::hw
