// Chip top (SPEC.md §4.3): elaborates one NeuroCore per configured core, delivers off-chip input
// events through the AER input pads before each tick, and generates ticks per the timestep policy
// (free-running or fixed period with overrun detection). One SC_THREAD for the whole chip.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>

#include "chip/chip_config.h"
#include "common/aer.h"
#include "chip/chip_stats.h"
#include "common/stats.h"
#include "core/neuro_core.h"

namespace neurochip::hw {

/// Receives the chip's per-timestep progress (the runner's monitor implements it).
class ChipObserverIf : public virtual sc_core::sc_interface {
 public:
  /// Timestep finished on every core; reports are in core order.
  virtual void timestep_done(const std::vector<CoreTimestepReport>& reports) = 0;
  /// The run ended: `total_cycles` is where the next timestep would start; `halted` on a timing error.
  virtual void run_done(uint64_t total_cycles, uint64_t overruns, bool halted) = 0;
};

class Chip : public sc_core::sc_module {
 public:
  sc_core::sc_port<StimulusIf> stimulus;      ///< off-chip input events per timestep
  sc_core::sc_port<AerOutputIf> aer_out;      ///< every core's output spikes
  sc_core::sc_port<ChipObserverIf> observer;  ///< per-timestep reports

  Chip(sc_core::sc_module_name name, const ChipConfig& cfg, uint64_t timesteps,
       StatGroup& parent_stats);

  const sc_core::sc_time& clock_period() const { return clock_period_; }
  const std::vector<std::unique_ptr<NeuroCore>>& cores() const { return cores_; }
  const ChipStats& stats() const { return stats_; }
  void trace(sc_core::sc_trace_file* tf, uint32_t neurons_per_core);

 private:
  void run();
  void wait_until_cycle(uint64_t cycle);

  const ChipConfig cfg_;
  const uint64_t timesteps_;
  const sc_core::sc_time clock_period_;
  ChipStats stats_;
  std::vector<std::unique_ptr<NeuroCore>> cores_;
  sc_core::sc_event_and_list all_done_;
  std::vector<CoreTimestepReport> reports_;
  int trace_timestep_ = 0;
};

}  // namespace neurochip::hw
