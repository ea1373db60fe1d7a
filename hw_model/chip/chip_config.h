// Typed, validated configuration of a chip: clock, timestep policy, its cores and the network
// between them (SPEC.md §5, §7).
// SystemC-free; built by sim/config from YAML.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/time.h"
#include "core/core_config.h"
#include "noc/noc_config.h"

namespace neurochip::hw {

enum class TimestepPolicy {
  kFreeRunning,  ///< next tick as soon as every core finished the previous timestep
  kFixed,        ///< ticks every cycles_per_timestep cycles (like an internal tick counter)
};
enum class OverrunAction {
  kHalt,         ///< a late core is a timing error that stops the run
  kStretch,      ///< a late core delays the tick; counted in stats
};

struct TimestepConfig {
  TimestepPolicy policy = TimestepPolicy::kFreeRunning;
  uint64_t cycles_per_timestep = 0;     ///< fixed policy only, >= 1
  OverrunAction on_overrun = OverrunAction::kHalt;
  uint32_t duration_us = 1000;          ///< biological time per timestep (leak tau and Poisson rates)
};

struct ChipConfig {
  std::string name = "chip";
  uint64_t clock_period_ps = 10000;     ///< the chip clock (tick generator, default for cores), ps
  TimestepConfig timestep;
  std::vector<CoreConfig> cores;
  noc::NocConfig noc;                   ///< the network between the cores (SPEC §7), if enabled
};

/// The clock of the chip's tick generator.
inline ClockDomain chip_clock(const ChipConfig& chip) { return ClockDomain(chip.clock_period_ps); }

/// The clock domain a core runs in: its own clock if it has one, else the chip's.
inline ClockDomain core_clock(const ChipConfig& chip, const CoreConfig& core) {
  return ClockDomain(core.clock_period_ps.value_or(chip.clock_period_ps));
}

}  // namespace neurochip::hw
