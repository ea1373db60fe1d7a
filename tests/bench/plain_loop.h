// Plain-loop baseline of the benchmark: one core's LIF network (SPEC.md §2.4 STEP, §2.6 PROP, readouts
// omitted) as the straightforward C++ loop a programmer would write without any hardware model:
// int16 membranes, int8 dense row-major weight matrices, no SRAM words, counters or SystemC.
// plain_loop.cpp is compiled twice into the bench: with the project's flags (run_plain_generic) and
// for the host's SIMD extensions (run_plain_native, -march=native); the interface is plain data so
// that the two translation units share no inline code.
#pragma once

#include <cstdint>

namespace neurochip::bench {

/// One core and its input events. Events of timestep t are event_axons[event_offsets[t] ..
/// event_offsets[t + 1]); repeats within a timestep merge (SPEC §1).
struct PlainCore {
  uint32_t inputs = 0;
  uint32_t neurons = 0;
  int32_t threshold = 1;
  uint32_t alpha = 0;
  bool reset_subtract = true;
  uint32_t refractory_steps = 0;
  int input_shift = 0;
  int recurrent_shift = 0;
  const int8_t* input_weights = nullptr;      ///< inputs x neurons
  const int8_t* recurrent_weights = nullptr;  ///< neurons x neurons
  uint64_t timesteps = 0;
  const uint64_t* event_offsets = nullptr;    ///< timesteps + 1 entries
  const uint32_t* event_axons = nullptr;
};

/// Spikes of a run: spikes_per_timestep[t] for every timestep, and the spiking neurons in timestep
/// order, ascending within a timestep (the first `capacity` of them are stored).
struct PlainSpikes {
  uint32_t* spikes_per_timestep = nullptr;
  uint32_t* neurons = nullptr;
  uint64_t capacity = 0;
  uint64_t total = 0;  ///< set by the run, may exceed capacity
};

void run_plain_generic(const PlainCore& core, PlainSpikes& out);
void run_plain_native(const PlainCore& core, PlainSpikes& out);

}  // namespace neurochip::bench
