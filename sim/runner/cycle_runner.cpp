// Cycle-accurate backend harness (see cycle_runner.h).
#include "runner/cycle_runner.h"

#include <algorithm>
#include <tuple>

#include <systemc>

#include "chip/chip.h"

namespace neurochip::sim {
namespace {

/// Off-chip environment of one chip: the receiver of its output packets, the spike recorder and
/// the progress monitor.
class Harness : public sc_core::sc_module,
                public hw::AerSinkIf,
                public hw::SpikeProbeIf,
                public hw::ChipObserverIf {
 public:
  Harness(sc_core::sc_module_name name, const hw::Chip& chip, const CycleOptions& options, RunResult& result)
      : sc_core::sc_module(name), chip_(chip), options_(options), result_(result) {}

  bool try_put(const hw::AerPacket&) override {
    ++result_.output_packets;
    return true;
  }
  const sc_core::sc_event& ready_event() const override { return never_; }

  void spike(const hw::EmittedSpike& spike) override { result_.spikes.push_back(spike); }

  void timestep_done(const std::vector<hw::CoreTimestepReport>& reports) override {
    result_.timesteps.insert(result_.timesteps.end(), reports.begin(), reports.end());
    ++result_.timesteps_completed;
    if (options_.record_readouts) {
      std::vector<int32_t> row;
      for (const auto& core : chip_.cores()) {
        const hw::CoreDatapath& dp = core->datapath();
        for (uint32_t k = 0; k < dp.readout_count(); ++k) row.push_back(dp.readout(k));
      }
      result_.readout_trace.push_back(std::move(row));
    }
    if (options_.on_timestep) options_.on_timestep(result_.timesteps_completed);
  }

  void run_done(uint64_t total_cycles, uint64_t overruns, bool halted) override {
    result_.total_cycles = total_cycles;
    result_.overruns = overruns;
    result_.halted = halted;
  }

 private:
  const hw::Chip& chip_;
  const CycleOptions options_;
  RunResult& result_;
  sc_core::sc_event never_;
};

}  // namespace

struct CycleSimulation::Impl {
  hw::StatGroup root{"stats"};
  hw::InputSchedule schedule;                     ///< when constructed from an InputSchedule
  std::unique_ptr<hw::ScheduleStimulus> schedule_source;
  RunResult result;
  std::unique_ptr<hw::Chip> chip;
  std::unique_ptr<Harness> harness;
  sc_core::sc_trace_file* vcd = nullptr;
};

CycleSimulation::CycleSimulation(const std::string& name, const hw::ChipConfig& chip,
                                 const hw::InputSchedule& stimulus, uint64_t timesteps,
                                 const CycleOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->schedule = stimulus;
  impl_->schedule_source = std::make_unique<hw::ScheduleStimulus>(impl_->schedule);
  elaborate(name, chip, *impl_->schedule_source, timesteps, options);
}

CycleSimulation::CycleSimulation(const std::string& name, const hw::ChipConfig& chip,
                                 hw::StimulusSource& stimulus, uint64_t timesteps, const CycleOptions& options)
    : impl_(std::make_unique<Impl>()) {
  elaborate(name, chip, stimulus, timesteps, options);
}

void CycleSimulation::elaborate(const std::string& name, const hw::ChipConfig& chip, hw::StimulusSource& stimulus,
                                uint64_t timesteps, const CycleOptions& options) {
  impl_->chip = std::make_unique<hw::Chip>(name.c_str(), chip, stimulus, timesteps, impl_->root);
  impl_->harness = std::make_unique<Harness>((name + "_env").c_str(), *impl_->chip, options, impl_->result);
  impl_->chip->aer_out.bind(*impl_->harness);
  impl_->chip->probe.bind(*impl_->harness);
  impl_->chip->observer.bind(*impl_->harness);
  if (!options.vcd_path.empty()) {
    impl_->vcd = sc_core::sc_create_vcd_trace_file(options.vcd_path.c_str());
    impl_->vcd->set_time_unit(1, sc_core::SC_PS);  // valid for every clock; cycle = time / period
    impl_->chip->trace(impl_->vcd, options.vcd_neurons);
  }
}

CycleSimulation::~CycleSimulation() {
  if (impl_ && impl_->vcd) sc_core::sc_close_vcd_trace_file(impl_->vcd);
}

RunResult CycleSimulation::result() const {
  RunResult r = impl_->result;
  std::sort(r.spikes.begin(), r.spikes.end(), [](const hw::EmittedSpike& a, const hw::EmittedSpike& b) {
    return std::tie(a.timestep, a.cycle, a.core, a.neuron) < std::tie(b.timestep, b.cycle, b.core, b.neuron);
  });
  for (const auto& core : impl_->chip->cores()) {
    const hw::CoreDatapath& dp = core->datapath();
    const hw::NeuronMemory& mem = dp.neurons();
    CoreState st;
    for (const hw::StateField& f : mem.model().fields) st.field_names.push_back(f.name);
    st.fields = mem.fields();
    for (uint32_t k = 0; k < dp.readout_count(); ++k) st.readout.push_back(dp.readout(k));
    r.final_state.push_back(std::move(st));
    const hw::CoreStats& s = core->stats();
    CoreCounters c;
    c.neuron_sram_reads = s.neuron_reads.value();
    c.neuron_sram_writes = s.neuron_writes.value();
    c.input_sram_reads = s.input_reads.value();
    c.recurrent_sram_reads = s.recurrent_reads.value();
    c.output_sram_reads = s.output_reads.value();
    c.input_sram_writes = s.input_writes.value();
    c.recurrent_sram_writes = s.recurrent_writes.value();
    c.output_sram_writes = s.output_writes.value();
    c.synaptic_events = s.synaptic_events.value();
    c.input_events = s.input_events.value();
    c.spikes = s.spikes.value();
    c.unmapped_input_events = s.unmapped_input_events.value();
    c.late_input_events = s.late_input_events.value();
    r.counters.push_back(c);
  }
  r.unmapped_stimulus_packets = impl_->chip->unmapped_packets();
  return r;
}

const hw::StatGroup& CycleSimulation::stats() const { return impl_->root; }

RunResult run_cycle(const hw::ChipConfig& chip, hw::StimulusSource& stimulus, uint64_t timesteps,
                    const CycleOptions& options, std::vector<hw::StatView>* stats_out) {
  CycleSimulation sim("chip", chip, stimulus, timesteps, options);
  sc_core::sc_start();
  if (stats_out) *stats_out = sim.stats().collect();
  return sim.result();
}

}  // namespace neurochip::sim
