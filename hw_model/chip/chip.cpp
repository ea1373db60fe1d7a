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
  if (cfg_.noc.enabled) {
    topology_ = noc::make_topology(cfg_.noc);
    network_ = std::make_unique<noc::Network>(*topology_, cfg_.noc.timing);
    for (uint32_t c = 0; c < n; ++c) {
      fanout_begin_.push_back(std::move(image.cores[c].fanout_begin));
      fanout_.push_back(std::move(image.cores[c].fanout));
    }
    if (cfg_.noc.multicast == noc::Multicast::kTable) {
      // SpiNNaker-style tables (SPEC §7.7): per router one exact-key entry for every neuron whose
      // spikes pass it, with the ports of its tree.
      std::vector<std::vector<noc::RouteEntry>> tables(topology_->routers());
      for (uint32_t c = 0; c < n; ++c)
        noc::multicast_entries(*topology_, c, fanout_begin_[c], fanout_[c],
                               [&tables](uint32_t router, const noc::RouteEntry& e) { tables[router].push_back(e); });
      for (uint32_t r = 0; r < topology_->routers(); ++r) network_->set_table(r, std::move(tables[r]));
    }
    noc_stats_ = std::make_unique<NocStats>(stats_.group);
  }
  for (uint32_t c = 0; c < n; ++c) {
    const CoreConfig& core = cfg_.cores[c];
    cores_.push_back(std::make_unique<NeuroCore>(core.name.c_str(), core, std::move(image.cores[c]), c,
                                                 core_clock(cfg_, core),
                                                 packet_bits(n, core.memory.max_neurons), stats_.group,
                                                 &learning_backends_));
    cores_.back()->aer_out.out.bind(aer_out);
    if (network_) cores_.back()->attach_network(this);
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
    if (network_) {
      if (cores_ready_ < cores_.size()) wait(all_ready_);
      cores_ready_ = 0;
      try {
        route_spikes(t);
      } catch (const noc::NocError& e) {
        // A deadlock or a routing loop (SPEC §7.5): the run stops here with the network's report.
        network_error_ = "timestep " + std::to_string(t) + ": " + e.what();
        sc_core::sc_stop();
        return;
      }
      cores_done_ = Ps();
    }
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

void Chip::core_ready(uint32_t, Ps done) {
  cores_done_ = max(cores_done_, done);
  if (++cores_ready_ == cores_.size()) all_ready_.notify(sc_core::SC_ZERO_TIME);
}

void Chip::route_spikes(uint64_t timestep) {
  // Source fan-out (SPEC §7.7): one unicast packet per spike and destination core, offered when the
  // spike leaves its core, addressed to the axon that carries that neuron there.
  batch_.clear();
  batch_targets_.clear();
  batch_sources_.clear();
  for (uint32_t c = 0; c < cores_.size(); ++c) {
    for (const CoreSpike& s : cores_[c]->emitted()) {
      const std::vector<uint32_t>& begin = fanout_begin_[c];
      if (s.neuron + 1 >= begin.size() || begin[s.neuron] == begin[s.neuron + 1]) continue;
      if (cfg_.noc.multicast == noc::Multicast::kTable) {
        // One packet with the neuron's key and its source address (SPEC §5.3), copied by the tables.
        noc::Packet p;
        p.src = c;
        p.multicast = true;
        p.key = noc::multicast_key(c, s.neuron);
        p.bits = packet_bits(cores_.size(), cfg_.cores[c].memory.max_neurons);
        p.inject_ps = s.time.count();
        batch_.push_back(p);
        batch_targets_.push_back(CoreImage::FanOut{kMulticastTarget, kMulticastTarget});
        batch_sources_.push_back(CoreSlot{c, s.neuron});
        continue;
      }
      for (uint32_t k = begin[s.neuron]; k < begin[s.neuron + 1]; ++k) {
        const CoreImage::FanOut& f = fanout_[c][k];
        noc::Packet p;
        p.src = c;
        p.dst = f.core;
        p.bits = packet_bits(cores_.size(), cfg_.cores[f.core].memory.max_inputs);
        p.inject_ps = s.time.count();
        batch_.push_back(p);
        batch_targets_.push_back(f);
        batch_sources_.push_back(CoreSlot{c, s.neuron});
      }
    }
  }
  uint64_t last_arrival = 0;
  const std::vector<noc::Delivery> deliveries = network_->run(batch_);
  for (const noc::Delivery& d : deliveries) {
    CoreImage::FanOut target = batch_targets_[d.packet];
    if (target.core == kMulticastTarget) {
      // A copy reached router d.router: the axon that carries the neuron on that core.
      const CoreSlot& src = batch_sources_[d.packet];
      for (uint32_t k = fanout_begin_[src.core][src.slot]; k < fanout_begin_[src.core][src.slot + 1]; ++k)
        if (fanout_[src.core][k].core == d.router) target = fanout_[src.core][k];
    }
    cores_[target.core]->deliver_remote(target.axon);
    last_arrival = std::max(last_arrival, d.arrive_ps);
  }
  noc_stats_->account(batch_, deliveries, *network_);
  if (on_batch_) on_batch_(NetworkBatch{timestep, batch_, deliveries, batch_sources_, batch_targets_, *network_});
  drained_ = max(cores_done_, Ps(last_arrival));  // and no core may still send (SPEC §7.7)
  delivered_timestep_ = timestep;
  delivered_.notify(sc_core::SC_ZERO_TIME);
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
