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
    if (network_) {
      cores_.back()->attach_network(this);
      cores_.back()->integrate_in_arrival_order(cfg_.noc.integration == noc::Integration::kArrival);
    }
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
        route_spikes(t, window_close(tick));
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
  for (Epoch& e : epochs_) finish_epoch(e);
  epochs_.clear();
  if (noc_stats_)
    for (const auto& core : cores_) noc_stats_->order_differences += core->datapath().order_differences();
  stats_.cycles += scheduler.end_cycle();
  observer->run_done(scheduler.end_cycle(), scheduler.overruns(), scheduler.halted());
}

void Chip::core_ready(uint32_t, Ps done) {
  cores_done_ = max(cores_done_, done);
  if (++cores_ready_ == cores_.size()) all_ready_.notify(sc_core::SC_ZERO_TIME);
}

uint64_t Chip::window_close(Ps tick) const {
  if (cfg_.timestep.policy != TimestepPolicy::kFixed) return ~uint64_t{0};
  const uint64_t cycles = cfg_.noc.window_cycles ? cfg_.noc.window_cycles : cfg_.timestep.cycles_per_timestep;
  return tick.count() + cycles * cfg_.clock_period_ps;
}

void Chip::add_packets(Epoch& e, uint64_t timestep, uint64_t close) const {
  // Source fan-out (SPEC §7.7): one unicast packet per spike and destination core, offered when the
  // spike leaves its core, addressed to the axon that carries that neuron there. Table multicast:
  // one packet with the neuron's key and its source address (SPEC §5.3), copied by the tables.
  const auto add = [&](const noc::Packet& p, const CoreImage::FanOut& target, const CoreSlot& source) {
    e.packets.push_back(p);
    e.targets.push_back(target);
    e.sources.push_back(source);
    e.timesteps.push_back(timestep);
    e.closes.push_back(close);
  };
  for (uint32_t c = 0; c < cores_.size(); ++c) {
    for (const CoreSpike& s : cores_[c]->emitted()) {
      const std::vector<uint32_t>& begin = fanout_begin_[c];
      if (s.neuron + 1 >= begin.size() || begin[s.neuron] == begin[s.neuron + 1]) continue;
      noc::Packet p;
      p.src = c;
      p.inject_ps = s.time.count();
      if (cfg_.noc.multicast == noc::Multicast::kTable) {
        p.multicast = true;
        p.key = noc::multicast_key(c, s.neuron);
        p.bits = packet_bits(cores_.size(), cfg_.cores[c].memory.max_neurons);
        add(p, CoreImage::FanOut{kMulticastTarget, kMulticastTarget}, CoreSlot{c, s.neuron});
        continue;
      }
      for (uint32_t k = begin[s.neuron]; k < begin[s.neuron + 1]; ++k) {
        const CoreImage::FanOut& f = fanout_[c][k];
        p.dst = f.core;
        p.bits = packet_bits(cores_.size(), cfg_.cores[f.core].memory.max_inputs);
        add(p, f, CoreSlot{c, s.neuron});
      }
    }
  }
}

void Chip::route_spikes(uint64_t timestep, uint64_t close) {
  Epoch fresh;
  add_packets(fresh, timestep, close);
  if (!fresh.packets.empty()) {
    uint64_t first = ~uint64_t{0};
    for (const noc::Packet& p : fresh.packets) first = std::min(first, p.inject_ps);
    noc_stats_->packets += fresh.packets.size();
    if (epochs_.empty() || first >= network_->quiet_ps()) {
      // The network is quiet before these packets: a new epoch (SPEC §7.8).
      fresh.start = network_->state();
      fresh.deliveries = network_->run(fresh.packets);
      fresh.integrated.assign(fresh.deliveries.size(), kNeverArrived);
      if (on_batch_) fresh.schedule = network_->schedule();
      epochs_.push_back(std::move(fresh));
    } else {
      // They may meet the open epoch's packets: move it again from where it began, with them. Its
      // packets before this timestep's tick move exactly as before (nothing newer exists then), so
      // what a window took stays taken.
      Epoch& e = epochs_.back();
      for (size_t k = 0; k < fresh.packets.size(); ++k) {
        e.packets.push_back(fresh.packets[k]);
        e.targets.push_back(fresh.targets[k]);
        e.sources.push_back(fresh.sources[k]);
        e.timesteps.push_back(timestep);
        e.closes.push_back(close);
      }
      network_->restore(e.start);
      std::vector<noc::Delivery> moved = network_->run(e.packets);
      for (size_t d = 0; d < e.settled; ++d)
        if (d >= moved.size() || moved[d].packet != e.deliveries[d].packet ||
            moved[d].router != e.deliveries[d].router || moved[d].arrive_ps != e.deliveries[d].arrive_ps)
          throw std::logic_error("chip: moving the network's epoch again changed a delivery already taken");
      e.deliveries = std::move(moved);
      e.integrated.resize(e.deliveries.size(), kNeverArrived);
      if (on_batch_) e.schedule = network_->schedule();
    }
  }
  uint64_t last_arrival = 0;
  for (Epoch& e : epochs_) {
    settle(e, timestep, close);
    if (!e.deliveries.empty()) last_arrival = std::max(last_arrival, e.deliveries.back().arrive_ps);
  }
  while (epochs_.size() > 1 && epochs_.front().settled == epochs_.front().deliveries.size()) {
    finish_epoch(epochs_.front());
    epochs_.pop_front();
  }
  noc_stats_->follow_links(*network_);
  // PROP may start when the network has drained and no core may still send, or when the window closes.
  drained_ = Ps(std::min(close, std::max(cores_done_.count(), last_arrival)));
  delivered_timestep_ = timestep;
  delivered_.notify(sc_core::SC_ZERO_TIME);
}

void Chip::settle(Epoch& e, uint64_t timestep, uint64_t close) {
  for (; e.settled < e.deliveries.size() && e.deliveries[e.settled].arrive_ps <= close; ++e.settled) {
    const noc::Delivery& d = e.deliveries[e.settled];
    CoreImage::FanOut target = e.targets[d.packet];
    if (target.core == kMulticastTarget) {
      // A copy reached router d.router: the axon that carries the neuron on that core.
      const CoreSlot& src = e.sources[d.packet];
      for (uint32_t k = fanout_begin_[src.core][src.slot]; k < fanout_begin_[src.core][src.slot + 1]; ++k)
        if (fanout_[src.core][k].core == d.router) target = fanout_[src.core][k];
    }
    noc_stats_->hops += d.hops;
    e.integrated[e.settled] = timestep;
    if (e.timesteps[d.packet] != timestep) {
      // Late (SPEC §7.8): its own timestep's window closed before it arrived.
      ++noc_stats_->late_spikes;
      noc_stats_->late_ps.sample(d.arrive_ps - e.closes[d.packet]);
      if (cfg_.noc.late_spikes == noc::LateSpikes::kDrop) {
        ++noc_stats_->dropped_spikes;
        e.integrated[e.settled] = kDropped;
        continue;
      }
    }
    cores_[target.core]->deliver_remote(target.axon, Ps(d.arrive_ps));
  }
}

void Chip::finish_epoch(Epoch& e) {
  for (size_t d = e.settled; d < e.deliveries.size(); ++d) {
    // The run ended before this copy's window: it is late and no core integrates it.
    ++noc_stats_->late_spikes;
    ++noc_stats_->in_flight_at_end;
    noc_stats_->late_ps.sample(e.deliveries[d].arrive_ps - e.closes[e.deliveries[d].packet]);
  }
  // Latency per timestep: from its first packet offered to its last copy's arrival.
  std::vector<uint64_t> steps;  // the epoch's timesteps, ascending (packets come in timestep order)
  for (uint64_t t : e.timesteps)
    if (steps.empty() || steps.back() != t) steps.push_back(t);
  std::vector<std::pair<uint64_t, uint64_t>> span(steps.size(), {~uint64_t{0}, 0});
  const auto at = [&steps](uint64_t t) {
    return static_cast<size_t>(std::lower_bound(steps.begin(), steps.end(), t) - steps.begin());
  };
  for (size_t k = 0; k < e.packets.size(); ++k) {
    auto& s = span[at(e.timesteps[k])];
    s.first = std::min(s.first, e.packets[k].inject_ps);
  }
  for (const noc::Delivery& d : e.deliveries) {
    auto& s = span[at(e.timesteps[d.packet])];
    s.second = std::max(s.second, d.arrive_ps);
  }
  for (const auto& [from, to] : span) noc_stats_->latency_ps.sample(to - from);
  if (on_batch_)
    on_batch_(NetworkBatch{e.timesteps, e.packets, e.deliveries, e.sources, e.targets, e.integrated, e.schedule,
                           *network_});
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
