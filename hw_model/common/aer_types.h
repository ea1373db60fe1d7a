// Address-event (AER) value types, SystemC-free so that the functional reference and the
// trace I/O in sim/ share them with the cycle model (SPEC.md §1, §4.1).
#pragma once

#include <cstdint>
#include <vector>

namespace neurochip::hw {

/// One address event: a target core and a slot address within it (input axon on the way in,
/// neuron index on the way out).
struct AerEvent {
  uint32_t core = 0;
  uint32_t address = 0;
};

/// A spike leaving a core, stamped with the exact cycle the spec assigns to it (SPEC §4.1).
struct EmittedSpike {
  uint64_t timestep = 0;
  uint64_t cycle = 0;
  uint32_t core = 0;
  uint32_t neuron = 0;
};

/// Per-timestep list of input events: index t holds the events delivered before tick t.
using InputSchedule = std::vector<std::vector<AerEvent>>;

}  // namespace neurochip::hw
