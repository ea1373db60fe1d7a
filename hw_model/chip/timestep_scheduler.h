// The timestep scheduler of a chip (SPEC.md §5.2): decides when each timestep starts from when its
// cores are busy until, per the chip's timestep policy (free-running, or a fixed period with halt or
// stretch on overrun), and accounts overruns. Pure C++: the SystemC chip and the functional
// reference both drive the same object, so the policy is written once.
#pragma once

#include <cstdint>

#include "chip/chip_config.h"
#include "common/time.h"

namespace neurochip::hw {

class TimestepScheduler {
 public:
  TimestepScheduler(const TimestepConfig& config, ClockDomain chip_clock);

  /// What the scheduler decided when a timestep's work was complete.
  struct Decision {
    bool overrun = false;  ///< fixed policy: the work outlasted the period
    bool halt = false;     ///< the run stops (a timing error); the finished timestep counts as completed
    Ps next_tick;          ///< start of the next timestep, or the end of the run when halting
  };

  /// Index and tick (start time) of the current timestep; the first timestep starts at time 0.
  uint64_t timestep() const { return timestep_; }
  Ps tick() const { return tick_; }

  /// The current timestep's work ends at `busy_until` (the latest time any core is busy). Decides
  /// the next tick and moves to the next timestep unless the run halts.
  Decision finish(Ps busy_until);

  uint64_t overruns() const { return overruns_; }
  bool halted() const { return halted_; }
  /// Where the run ends after the last finished timestep: the next tick, or the halt time.
  Ps end() const { return tick_; }
  /// The chip clock's cycle of end() (ticks always lie on chip clock edges).
  uint64_t end_cycle() const { return chip_clock_.cycle_at(tick_); }

 private:
  TimestepConfig config_;
  ClockDomain chip_clock_;
  Ps period_;
  uint64_t timestep_ = 0;
  Ps tick_;
  uint64_t overruns_ = 0;
  bool halted_ = false;
};

}  // namespace neurochip::hw
