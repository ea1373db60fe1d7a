// Observer of the cycle model's phase boundaries (SPEC.md §4.1, §5): the chip reports each tick,
// every core each phase it enters and when it goes idle, with the simulated time and its datapath.
// A core with an observer waits phase by phase so that every boundary has its own time; without
// one it advances a whole timestep at once. Waveform writers (sim/io/vcd_writer.h) implement it.
// SystemC-free.
#pragma once

#include <cstdint>

#include "common/time.h"

namespace neurochip::hw {

class CoreDatapath;

class PhaseObserver {
 public:
  virtual ~PhaseObserver() = default;
  /// The chip's tick of `timestep` at `time`, before any core starts it.
  virtual void tick(Ps time, uint64_t timestep) = 0;
  /// Core `core` enters the phase of waveform code `code` (position in the phase table + 1) of
  /// `timestep` at `time`. The phase's datapath work is already done: `datapath` holds its result
  /// and `spikes` is the number of neurons that spiked in the core's most recent STEP.
  virtual void phase_begin(uint32_t core, Ps time, int code, uint64_t timestep, uint64_t spikes,
                           const CoreDatapath& datapath) = 0;
  /// Core `core` finished its timestep's last phase at `time` (waveform code 0).
  virtual void idle(uint32_t core, Ps time) = 0;
};

}  // namespace neurochip::hw
