// NeuroCore SystemC shell (SPEC.md §4.1, §4.4, §5); see neuro_core.h.
#include "core/neuro_core.h"

#include <algorithm>

namespace neurochip::hw {

NeuroCore::NeuroCore(sc_core::sc_module_name name, const CoreConfig& cfg, CoreImage image, uint32_t core_index,
                     ClockDomain clock, uint16_t packet_bits, StatGroup& parent_stats,
                     const EpropBackendFactory* backends)
    : sc_core::sc_module(name),
      aer_in("aer_in"),
      control("control"),
      probe("probe"),
      aer_out("aer_out"),
      cfg_(cfg),
      core_index_(core_index),
      clock_(clock),
      packet_bits_(packet_bits),
      datapath_(cfg_, std::move(image), backends, core_index),
      stats_(cfg, datapath_.stored_synapses(), parent_stats) {
  aer_in.bind(*this);
  control.bind(*this);
  SC_HAS_PROCESS(NeuroCore);
  SC_THREAD(run);
}

bool NeuroCore::try_put(const AerPacket& p) {
  datapath_.receive(p.dst_axon, max(p.time, sc_now()));
  return true;
}

void NeuroCore::start_timestep(uint64_t timestep, Ps tick, const TimestepContext& ctx) {
  timestep_ = timestep;
  context_ = ctx;
  tick_time_ = tick;
  tick_.notify(sc_core::SC_ZERO_TIME);
}

void NeuroCore::advance(uint64_t cycles) {
  if (cycles > 0) wait(to_sc_time(clock_.duration(cycles)));
}

void NeuroCore::emit_spikes(uint64_t step_start_cycle) {
  for (uint32_t j : datapath_.spiking()) {
    const uint64_t cycle = step_start_cycle + spike_cycle_offset(cfg_, 0, j);
    probe->spike({timestep_, cycle, core_index_, j});
    emitted_.push_back(CoreSpike{j, clock_.edge(cycle)});
    datapath_.set_spike_time(j, clock_.edge(cycle));
    AerPacket p;
    p.src = NeuronRef{0, static_cast<uint16_t>(core_index_), j};
    p.time = clock_.edge(cycle);
    p.bits = packet_bits_;
    p.timestep = timestep_;
    aer_out.send(p);
  }
}

void NeuroCore::run() {
  for (;;) {
    wait(tick_);
    const uint64_t start_cycle = clock_.cycle_at_or_after(tick_time_);
    const char* phase = "sample";
    uint64_t phase_start = start_cycle;
    try {
      run_timestep(start_cycle, phase, phase_start);
    } catch (LearningDivergence& d) {
      // The first disagreement of model and RTL: where it happened, then stop (SPEC §6.7).
      d.timestep = timestep_;
      d.core = core_index_;
      d.core_name = cfg_.name;
      d.phase = phase;
      d.phase_start_cycle = phase_start;
      divergence_ = d;
      sc_core::sc_stop();
      return;
    }
    done_.notify(sc_core::SC_ZERO_TIME);
  }
}

void NeuroCore::run_timestep(uint64_t start_cycle, const char*& phase, uint64_t& phase_start) {
  const PhaseTable& phases = PhaseTable::instance();
  const Ps start = clock_.edge(start_cycle);
  if (start > sc_now()) wait(to_sc_time(start - sc_now()));
  report_ = CoreTimestepReport{};
  report_.timestep = timestep_;
  report_.core = core_index_;
  report_.start_cycle = start_cycle;
  if (context_.sample_first) datapath_.begin_sample();
  datapath_.set_context(context_);
  datapath_.begin_timestep(start);
  emitted_.clear();
  network_wait_ = 0;

  uint64_t elapsed = 0;   // cycles since the timestep's first cycle
  uint64_t advanced = 0;  // of those, the cycles simulated time has already moved through
  bool told_network = false;
  for (PhaseId id : phases.order()) {
    if (!phases.runs_on(id, cfg_, context_)) continue;
    if (id == kPhaseProp && network_) {
      // The barrier (SPEC §7.7): PROP integrates this timestep's remote spikes, so it waits for them.
      if (!told_network) network_->core_ready(core_index_, clock_.edge(start_cycle + elapsed));
      told_network = true;
      if (!observer_) advance(elapsed - advanced);
      network_wait_ = await_network(start_cycle + elapsed);
      report_.network_wait_cycles = network_wait_;
      elapsed += network_wait_;
      advanced = elapsed;
    }
    const PhaseSpec& spec = phases[id];
    phase = spec.name.c_str();
    phase_start = start_cycle + elapsed;
    const uint64_t cycles =
        spec.execute ? spec.execute(datapath_) : spec.cycles(cfg_, datapath_.shape(), datapath_.work());
    report_.cycles[id] = cycles;
    if (id == kPhaseStep) {
      emit_spikes(start_cycle + elapsed);
      if (network_) network_->core_ready(core_index_, clock_.edge(start_cycle + elapsed + cycles));
      told_network = network_ != nullptr;
    }
    if (observer_) {
      observer_->phase_begin(core_index_, sc_now(), phases.code(id), timestep_, datapath_.spiking().size(),
                             datapath_);
      advance(cycles);
    }
    elapsed += cycles;
  }
  if (network_ && !told_network) network_->core_ready(core_index_, clock_.edge(start_cycle + elapsed));
  if (observer_) {
    observer_->idle(core_index_, sc_now());
  } else {
    advance(elapsed - advanced);
  }

  report_.active_indices = datapath_.work().active_indices;
  report_.input_events = datapath_.input_events();
  report_.spikes = datapath_.spiking().size();
  if (context_.sample_last) {
    report_.label = datapath_.label();
    report_.votes = datapath_.votes();
  }
  busy_until_ = clock_.edge(start_cycle + elapsed);
  stats_.record(report_);
  publish_memory_counts();
}

uint64_t NeuroCore::await_network(uint64_t cycle) {
  while (network_->delivered_timestep() != timestep_) wait(network_->delivered_event());
  const uint64_t ready = std::max(cycle, clock_.cycle_at_or_after(network_->drained_at()));
  const Ps at = clock_.edge(ready);
  if (at > sc_now()) wait(to_sc_time(at - sc_now()));
  return ready - cycle;
}

void NeuroCore::publish_memory_counts() {
  // The memories count their own accesses; the registered counters follow their totals.
  const auto follow = [](Counter& c, uint64_t total) { c += total - c.value(); };
  follow(stats_.synaptic_events, datapath_.synaptic_events());
  follow(stats_.nonzero_synaptic_events, datapath_.nonzero_synaptic_events());
  follow(stats_.neuron_reads, datapath_.neurons().reads());
  follow(stats_.neuron_writes, datapath_.neurons().writes());
  follow(stats_.input_reads, datapath_.input_sram().reads());
  follow(stats_.recurrent_reads, datapath_.recurrent_sram().reads());
  follow(stats_.output_reads, datapath_.output_sram().reads());
  follow(stats_.input_writes, datapath_.input_sram().writes());
  follow(stats_.recurrent_writes, datapath_.recurrent_sram().writes());
  follow(stats_.output_writes, datapath_.output_sram().writes());
  follow(stats_.unmapped_input_events, datapath_.unmapped_events());
  follow(stats_.late_input_events, datapath_.late_events());
  if (const SynapseListMemory* lists = datapath_.synapse_lists()) {
    follow(*stats_.axon_table_reads, lists->axon_reads());
    follow(*stats_.synapse_list_reads, lists->list_reads());
  }
}

}  // namespace neurochip::hw
