// Chip top, input pads and tick generator (SPEC.md §5); see chip.h.
#include "chip/chip.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "chip/timestep_scheduler.h"

namespace neurochip::hw {

Chip::Chip(sc_core::sc_module_name name, const ChipConfig& cfg, ChipImage image, StimulusSource& stimulus,
           uint64_t timesteps, StatGroup& parent_stats, SampleSchedule samples,
           const EpropBackendFactory& learning_backends)
    : sc_core::sc_module(name),
      aer_out("aer_out"),
      probe("probe"),
      observer("observer"),
      cfg_(cfg),
      stimulus_(stimulus),
      timesteps_(timesteps),
      samples_(samples),
      learning_backends_(learning_backends),
      stats_(parent_stats, cfg.clock_period_ps) {
  require_ps_resolution();
  const uint64_t n = cfg_.cores.size();
  if (image.cores.size() != n) throw std::invalid_argument("chip: one image per core is needed");
  for (uint32_t c = 0; c < n; ++c) {
    const CoreConfig& core = cfg_.cores[c];
    cores_.push_back(std::make_unique<NeuroCore>(core.name.c_str(), core, std::move(image.cores[c]), c,
                                                 core_clock(cfg_, core),
                                                 packet_bits(n, core.memory.max_neurons), stats_.group,
                                                 &learning_backends_));
    cores_.back()->aer_out.out.bind(aer_out);
    cores_.back()->probe.bind(probe);
    all_done_ &= cores_.back()->done_event();
    pads_.push_back(std::make_unique<AerOutbox>(("pad_" + core.name).c_str()));
    pads_.back()->out.bind(cores_.back()->aer_in);
    pad_bits_.push_back(packet_bits(n, core.memory.max_inputs));
  }
  reports_.resize(cores_.size());
  SC_HAS_PROCESS(Chip);
  SC_THREAD(run);
}

void Chip::offer_stimulus(uint64_t timestep, Ps tick) {
  packets_.clear();
  stimulus_.packets_for(timestep, tick, packets_);
  for (AerPacket& p : packets_) {
    if (p.dst_core >= pads_.size()) {
      ++unmapped_packets_;
      continue;
    }
    p.bits = pad_bits_[p.dst_core];
    pads_[p.dst_core]->send(p);
  }
}

void Chip::run() {
  TimestepScheduler scheduler(cfg_.timestep, chip_clock(cfg_));
  for (uint64_t t = 0; t < timesteps_; ++t) {
    const Ps tick = scheduler.tick();
    if (tick > sc_now()) wait(to_sc_time(tick - sc_now()));
    if (observer_) observer_->tick(sc_now(), t);
    offer_stimulus(t, tick);
    const TimestepContext ctx = samples_.at(t);
    for (auto& core : cores_) core->start_timestep(t, tick, ctx);
    if (!cores_.empty()) wait(all_done_);

    Ps busy_until = tick;
    for (size_t c = 0; c < cores_.size(); ++c) {
      reports_[c] = cores_[c]->last_report();
      busy_until = max(busy_until, cores_[c]->busy_until());
    }
    ++stats_.timesteps;
    const TimestepScheduler::Decision d = scheduler.finish(busy_until);
    if (d.overrun && !d.halt) ++stats_.overruns;
    observer->timestep_done(reports_);
    if (d.halt) break;
  }
  stats_.cycles += scheduler.end_cycle();
  observer->run_done(scheduler.end_cycle(), scheduler.overruns(), scheduler.halted());
}

const LearningDivergence* Chip::divergence() const {
  for (const auto& core : cores_)
    if (core->divergence()) return &*core->divergence();
  return nullptr;
}

void Chip::observe_phases(PhaseObserver* observer) {
  observer_ = observer;
  for (auto& core : cores_) core->observe_phases(observer);
}

}  // namespace neurochip::hw
