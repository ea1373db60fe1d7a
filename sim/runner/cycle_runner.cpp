// Cycle-accurate backend harness (see cycle_runner.h).
#include "runner/cycle_runner.h"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <tuple>
#include <vector>

#include <systemc>

#include "chip/chip.h"
#include "reference/functional_stats.h"
#include "runner/asan_main_stack.h"

namespace neurochip::sim {
namespace {

/// Off-chip environment of one chip: the receiver of its output packets, the spike recorder and
/// the progress monitor. It hands each completed timestep to the sink; an exception of the sink
/// stops the simulation (it cannot cross the SystemC kernel) and is kept for the caller.
class Harness : public sc_core::sc_module,
                public hw::AerSinkIf,
                public hw::SpikeProbeIf,
                public hw::ChipObserverIf {
 public:
  Harness(sc_core::sc_module_name name, const hw::Chip& chip, const hw::StatGroup& stats,
          const CycleOptions& options, ResultSink& sink)
      : sc_core::sc_module(name), chip_(chip), stats_(stats), options_(options), sink_(sink) {}

  bool try_put(const hw::AerPacket&) override {
    ++output_packets_;
    return true;
  }
  const sc_core::sc_event& ready_event() const override { return never_; }

  void spike(const hw::EmittedSpike& spike) override { spikes_.push_back(spike); }

  void timestep_done(const std::vector<hw::CoreTimestepReport>& reports) override {
    ++timesteps_completed_;
    if (error_) {
      spikes_.clear();
      return;
    }
    std::sort(spikes_.begin(), spikes_.end(), [](const hw::EmittedSpike& a, const hw::EmittedSpike& b) {
      return std::tie(a.cycle, a.core, a.neuron) < std::tie(b.cycle, b.core, b.neuron);
    });
    if (options_.record_readouts) {
      readouts_.clear();
      for (const auto& core : chip_.cores()) {
        const hw::CoreDatapath& dp = core->datapath();
        for (uint32_t k = 0; k < dp.readout_count(); ++k) readouts_.push_back(dp.readout(k));
      }
    }
    guarded([&] {
      sink_.timestep(TimestepResult{timesteps_completed_ - 1, spikes_, reports,
                                    options_.record_readouts ? &readouts_ : nullptr});
      if (options_.on_timestep) options_.on_timestep(timesteps_completed_);
    });
    spikes_.clear();
  }

  void run_done(uint64_t total_cycles, uint64_t overruns, bool halted) override {
    if (error_) return;
    RunTotals totals;
    totals.total_cycles = total_cycles;
    totals.overruns = overruns;
    totals.halted = halted;
    totals.timesteps_completed = timesteps_completed_;
    totals.output_packets = output_packets_;
    totals.unmapped_stimulus_packets = chip_.unmapped_packets();
    for (const auto& core : chip_.cores()) {
      const hw::CoreDatapath& dp = core->datapath();
      const hw::NeuronMemory& mem = dp.neurons();
      CoreState st;
      for (const hw::StateField& f : mem.model().fields) st.field_names.push_back(f.name);
      st.fields = mem.field_values();
      for (uint32_t k = 0; k < dp.readout_count(); ++k) st.readout.push_back(dp.readout(k));
      if (dp.learns()) st.learned = dp.weights_image();
      totals.final_state.push_back(std::move(st));
      const hw::CoreStats& s = core->stats();
      CoreCounters c;
      for_each_datapath_counter(c, s, [](uint64_t& field, const hw::Counter& counter) { field = counter.value(); });
      c.input_events = s.input_events.value();
      c.spikes = s.spikes.value();
      totals.counters.push_back(c);
    }
    totals.stats = stats_.collect();
    guarded([&] { sink_.finish(totals); });
  }

  std::exception_ptr error() const { return error_; }

 private:
  template <class F>
  void guarded(F&& f) {
    try {
      f();
    } catch (...) {
      error_ = std::current_exception();
      sc_core::sc_stop();
    }
  }

  const hw::Chip& chip_;
  const hw::StatGroup& stats_;
  const CycleOptions options_;
  ResultSink& sink_;
  sc_core::sc_event never_;
  std::vector<hw::EmittedSpike> spikes_;  ///< of the current timestep
  std::vector<int32_t> readouts_;
  uint64_t timesteps_completed_ = 0;
  uint64_t output_packets_ = 0;
  std::exception_ptr error_;
};

}  // namespace

struct CycleSimulation::Impl {
  hw::StatGroup root{"stats"};
  hw::InputSchedule schedule;                     ///< when constructed from an InputSchedule
  std::unique_ptr<hw::ScheduleStimulus> schedule_source;
  CollectingSink collected;                       ///< when no sink was given
  bool collecting = false;
  std::unique_ptr<hw::Chip> chip;
  std::unique_ptr<Harness> harness;
};

CycleSimulation::CycleSimulation(const std::string& name, const hw::ChipConfig& chip, hw::ChipImage image,
                                 const hw::InputSchedule& stimulus, uint64_t timesteps, const CycleOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->schedule = stimulus;
  impl_->schedule_source = std::make_unique<hw::ScheduleStimulus>(impl_->schedule);
  elaborate(name, chip, std::move(image), *impl_->schedule_source, timesteps, options);
}

CycleSimulation::CycleSimulation(const std::string& name, const hw::ChipConfig& chip, hw::ChipImage image,
                                 hw::StimulusSource& stimulus, uint64_t timesteps, const CycleOptions& options)
    : impl_(std::make_unique<Impl>()) {
  elaborate(name, chip, std::move(image), stimulus, timesteps, options);
}

void CycleSimulation::elaborate(const std::string& name, const hw::ChipConfig& chip, hw::ChipImage image,
                                hw::StimulusSource& stimulus, uint64_t timesteps, const CycleOptions& options) {
  impl_->collecting = options.sink == nullptr;
  ResultSink& sink = impl_->collecting ? impl_->collected : *options.sink;
  impl_->chip = std::make_unique<hw::Chip>(name.c_str(), chip, std::move(image), stimulus, timesteps, impl_->root,
                                           options.samples, options.learning_backends);
  impl_->harness = std::make_unique<Harness>((name + "_env").c_str(), *impl_->chip, impl_->root, options, sink);
  impl_->chip->aer_out.bind(*impl_->harness);
  impl_->chip->probe.bind(*impl_->harness);
  impl_->chip->observer.bind(*impl_->harness);
  impl_->chip->observe_phases(options.phase_observer);
  if (impl_->chip->network() && options.on_network_batch) impl_->chip->on_network_batch(options.on_network_batch);
}

CycleSimulation::~CycleSimulation() = default;

RunResult CycleSimulation::result() const {
  if (!impl_->collecting) throw std::logic_error("CycleSimulation::result(): the results went to a sink");
  rethrow_sink_error();
  if (!impl_->collected.finished()) throw std::logic_error("CycleSimulation::result(): the run has not ended");
  return impl_->collected.result();
}

const hw::StatGroup& CycleSimulation::stats() const { return impl_->root; }

void CycleSimulation::rethrow_sink_error() const {
  if (impl_->harness->error()) std::rethrow_exception(impl_->harness->error());
}

const hw::LearningDivergence* CycleSimulation::divergence() const { return impl_->chip->divergence(); }

const std::string& CycleSimulation::network_error() const { return impl_->chip->network_error(); }

const hw::noc::Network* CycleSimulation::network() const { return impl_->chip->network(); }

void stream_cycle(const hw::ChipConfig& chip, hw::ChipImage image, hw::StimulusSource& stimulus, uint64_t timesteps,
                  const CycleOptions& options, ResultSink& sink) {
  CycleOptions with_sink = options;
  with_sink.sink = &sink;
  CycleSimulation sim("chip", chip, std::move(image), stimulus, timesteps, with_sink);
  sc_core::sc_start();
  announce_main_stack_to_asan();
  if (const hw::LearningDivergence* d = sim.divergence()) throw *d;
  if (!sim.network_error().empty()) throw hw::noc::NocError(sim.network_error());
  if (options.on_network_end && sim.network()) options.on_network_end(*sim.network());
  sim.rethrow_sink_error();
}

}  // namespace neurochip::sim
