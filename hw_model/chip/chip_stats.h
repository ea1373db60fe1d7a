// Chip-level statistics (SPEC.md §5): names, units and descriptions shared by the cycle model
// and the functional reference (sim/reference/functional_stats.h) so both write the same stats tree.
#pragma once

#include <cstdint>
#include <string>

#include "common/stats.h"

namespace neurochip::hw {

/// The chip's stat group: every stat is named stats.chip.<...> whatever the chip is called, so the
/// stats of runs of different chips (the points of a sweep) line up by name.
inline constexpr const char* kChipStatGroup = "chip";

struct ChipStats {
  StatGroup group;
  Counter& timesteps;
  Counter& overruns;
  Counter& cycles;

  ChipStats(StatGroup& parent, uint64_t clock_period_ps)
      : group(kChipStatGroup, &parent),
        timesteps(group.add_counter("timesteps", "timesteps", "timesteps completed by the chip")),
        overruns(group.add_counter("overruns", "timesteps",
                                   "fixed policy: timesteps whose work outlasted cycles_per_timestep")),
        cycles(group.add_counter("cycles", "cycles",
                                 "simulated cycles from the first tick to the end of the run")) {
    group.add_formula("time_ns", "ns", "simulated time (cycles x clock period)", [this, clock_period_ps] {
      return static_cast<double>(cycles.value() * clock_period_ps) / 1000.0;
    });
  }
};

}  // namespace neurochip::hw
