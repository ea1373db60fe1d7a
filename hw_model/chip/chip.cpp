// Chip top and tick generator (SPEC.md §4.3); see chip.h.
#include "chip/chip.h"

#include <algorithm>
#include <string>

namespace neurochip::hw {

Chip::Chip(sc_core::sc_module_name name, const ChipConfig& cfg, uint64_t timesteps,
           StatGroup& parent_stats)
    : sc_core::sc_module(name),
      stimulus("stimulus"),
      aer_out("aer_out"),
      observer("observer"),
      cfg_(cfg),
      timesteps_(timesteps),
      clock_period_(sc_core::sc_time(1.0e6 / cfg.clock_mhz, sc_core::SC_PS)),
      stats_(cfg.name, parent_stats, cfg.clock_mhz) {
  for (uint32_t c = 0; c < cfg_.cores.size(); ++c) {
    const std::string core_name = cfg_.cores[c].name;
    cores_.push_back(
        std::make_unique<NeuroCore>(core_name.c_str(), cfg_.cores[c], c, clock_period_, stats_.group));
    cores_.back()->aer_out.bind(aer_out);
    all_done_ &= cores_.back()->done_event();
  }
  reports_.resize(cores_.size());
  SC_HAS_PROCESS(Chip);
  SC_THREAD(run);
}

void Chip::wait_until_cycle(uint64_t cycle) {
  const sc_core::sc_time target = clock_period_ * static_cast<double>(cycle);
  if (target > sc_core::sc_time_stamp()) wait(target - sc_core::sc_time_stamp());
}

void Chip::run() {
  const bool fixed = cfg_.timestep.policy == TimestepPolicy::kFixed;
  uint64_t start = 0;
  uint64_t overruns = 0;
  bool halted = false;
  for (uint64_t t = 0; t < timesteps_ && !halted; ++t) {
    wait_until_cycle(start);
    trace_timestep_ = static_cast<int>(t);
    for (const AerEvent& e : stimulus->events_for(t)) cores_.at(e.core)->aer_in->receive(e);
    for (auto& core : cores_) core->start_timestep(t, start);
    if (!cores_.empty()) wait(all_done_);

    uint64_t latency = 0;
    for (size_t c = 0; c < cores_.size(); ++c) {
      reports_[c] = cores_[c]->last_report();
      latency = std::max(latency, reports_[c].cycles.total());
    }
    ++stats_.timesteps;
    uint64_t next = start + latency;
    if (fixed) {
      const uint64_t period = cfg_.timestep.cycles_per_timestep;
      if (latency > period) {
        if (cfg_.timestep.on_overrun == OverrunAction::kHalt) {
          halted = true;
        } else {
          ++overruns;
          ++stats_.overruns;
        }
      } else {
        next = start + period;
      }
    }
    observer->timestep_done(reports_);
    start = next;
  }
  stats_.cycles += start;
  observer->run_done(start, overruns, halted);
}

void Chip::trace(sc_core::sc_trace_file* tf, uint32_t neurons_per_core) {
  sc_core::sc_trace(tf, trace_timestep_, std::string(name()) + ".timestep");
  for (auto& core : cores_) core->trace(tf, neurons_per_core);
}

}  // namespace neurochip::hw
