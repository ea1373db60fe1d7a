// NeuroCore SystemC shell (SPEC.md §4.1, §4.4); see neuro_core.h.
#include "core/neuro_core.h"

#include <algorithm>

namespace neurochip::hw {

NeuroCore::NeuroCore(sc_core::sc_module_name name, const CoreConfig& cfg, uint32_t core_index,
                     const sc_core::sc_time& clock_period, StatGroup& parent_stats)
    : sc_core::sc_module(name),
      aer_in("aer_in"),
      aer_out("aer_out"),
      cfg_(cfg),
      core_index_(core_index),
      clock_period_(clock_period),
      datapath_(cfg_),
      stats_(cfg, parent_stats) {
  aer_in.bind(*this);
  SC_HAS_PROCESS(NeuroCore);
  SC_THREAD(run);
}

void NeuroCore::receive(const AerEvent& event) { datapath_.receive(event.address); }

void NeuroCore::start_timestep(uint64_t timestep, uint64_t start_cycle) {
  timestep_ = timestep;
  start_cycle_ = start_cycle;
  tick_.notify(sc_core::SC_ZERO_TIME);
}

void NeuroCore::advance(uint64_t cycles) {
  if (cycles > 0) wait(clock_period_ * static_cast<double>(cycles));
}

void NeuroCore::run() {
  for (;;) {
    wait(tick_);
    report_ = CoreTimestepReport{};
    report_.timestep = timestep_;
    report_.core = core_index_;
    report_.start_cycle = start_cycle_;
    trace_timestep_ = timestep_;

    trace_phase_ = static_cast<int>(CorePhase::kSync);
    report_.cycles.sync = datapath_.sync();
    advance(report_.cycles.sync);

    trace_phase_ = static_cast<int>(CorePhase::kStep);
    spiking_.clear();
    report_.cycles.step = datapath_.step(spiking_);
    for (uint32_t j : spiking_)
      aer_out->emit({timestep_, start_cycle_ + spike_cycle_offset(cfg_, j), core_index_, j});
    trace_spikes_ = spiking_.size();
    sync_trace_mirror();
    advance(report_.cycles.step);

    trace_phase_ = static_cast<int>(CorePhase::kStepDone);
    report_.cycles.step_done = datapath_.step_done();
    advance(report_.cycles.step_done);

    trace_phase_ = static_cast<int>(CorePhase::kProp);
    report_.cycles.prop = datapath_.prop();
    sync_trace_mirror();
    advance(report_.cycles.prop);
    trace_phase_ = static_cast<int>(CorePhase::kIdle);

    report_.active_indices = datapath_.work().active_indices;
    report_.input_events = datapath_.input_events();
    report_.spikes = spiking_.size();

    stats_.record(report_);
    publish_memory_counts();
    done_.notify(sc_core::SC_ZERO_TIME);
  }
}

void NeuroCore::publish_memory_counts() {
  // The memories count their own accesses; the registered counters follow their totals.
  const auto follow = [](Counter& c, uint64_t total) { c += total - c.value(); };
  follow(stats_.synaptic_events, datapath_.synaptic_events());
  follow(stats_.neuron_reads, datapath_.neurons().reads());
  follow(stats_.neuron_writes, datapath_.neurons().writes());
  follow(stats_.input_reads, datapath_.input_sram().reads());
  follow(stats_.recurrent_reads, datapath_.recurrent_sram().reads());
  follow(stats_.output_reads, datapath_.output_sram().reads());
}

void NeuroCore::sync_trace_mirror() {
  const NeuronMemory& mem = datapath_.neurons();
  for (size_t j = 0; j < trace_membrane_.size(); ++j) trace_membrane_[j] = mem.membrane[j];
  for (size_t k = 0; k < trace_readout_.size(); ++k)
    trace_readout_[k] = datapath_.readout(static_cast<uint32_t>(k));
}

void NeuroCore::trace(sc_core::sc_trace_file* tf, uint32_t neurons) {
  const std::string base = name();
  trace_membrane_.assign(std::min<uint32_t>(neurons, cfg_.image.neurons), 0);
  trace_readout_.assign(cfg_.image.readouts, 0);
  sc_core::sc_trace(tf, trace_phase_, base + ".phase");
  sc_core::sc_trace(tf, trace_timestep_, base + ".timestep");
  sc_core::sc_trace(tf, trace_spikes_, base + ".spikes");
  for (size_t j = 0; j < trace_membrane_.size(); ++j)
    sc_core::sc_trace(tf, trace_membrane_[j], base + ".u_" + std::to_string(j), 16);
  for (size_t k = 0; k < trace_readout_.size(); ++k)
    sc_core::sc_trace(tf, trace_readout_[k], base + ".v_" + std::to_string(k), 16);
}

}  // namespace neurochip::hw
