// Typed, validated configuration of a chip: clock, timestep policy and its cores (SPEC.md §4.3).
// SystemC-free; built by sim/config from YAML.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/core_config.h"

namespace neurochip::hw {

enum class TimestepPolicy {
  kFreeRunning,  ///< next tick as soon as every core finished the previous timestep
  kFixed,        ///< ticks every cycles_per_timestep cycles (like an internal tick counter)
};
enum class OverrunAction {
  kStretch,      ///< a late core delays the tick; counted in stats
  kHalt,         ///< a late core is a timing error that stops the run
};

struct TimestepConfig {
  TimestepPolicy policy = TimestepPolicy::kFreeRunning;
  uint64_t cycles_per_timestep = 0;     ///< fixed policy only, >= 1
  OverrunAction on_overrun = OverrunAction::kHalt;
  uint32_t duration_us = 1000;          ///< biological time per timestep (leak tau and Poisson rates)
};

struct ChipConfig {
  std::string name = "chip";
  uint32_t clock_mhz = 100;             ///< core clock, 1..10000 MHz
  TimestepConfig timestep;
  std::vector<CoreConfig> cores;
};

}  // namespace neurochip::hw
