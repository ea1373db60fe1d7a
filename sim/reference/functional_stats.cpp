// Functional run statistics (see functional_stats.h).
#include "reference/functional_stats.h"

namespace neurochip::sim {

FunctionalStats::FunctionalStats(const hw::ChipConfig& chip, const hw::ChipImage& image)
    : chip_(chip.name, root_, chip.clock_period_ps) {
  for (size_t c = 0; c < chip.cores.size(); ++c) {
    cores_.push_back(
        std::make_unique<hw::CoreStats>(chip.cores[c], image.cores.at(c).stored_synapses(), chip_.group));
  }
}

std::vector<hw::StatView> FunctionalStats::collect(uint64_t timesteps_completed, uint64_t overruns,
                                                   uint64_t total_cycles, const std::vector<CoreCounters>& counters) {
  chip_.timesteps += timesteps_completed;
  chip_.overruns += overruns;
  chip_.cycles += total_cycles;
  for (size_t c = 0; c < cores_.size() && c < counters.size(); ++c) {
    const CoreCounters& k = counters[c];
    hw::CoreStats& s = *cores_[c];
    s.synaptic_events += k.synaptic_events;
    s.neuron_reads += k.neuron_sram_reads;
    s.neuron_writes += k.neuron_sram_writes;
    s.input_reads += k.input_sram_reads;
    s.recurrent_reads += k.recurrent_sram_reads;
    s.output_reads += k.output_sram_reads;
    s.input_writes += k.input_sram_writes;
    s.recurrent_writes += k.recurrent_sram_writes;
    s.output_writes += k.output_sram_writes;
    s.unmapped_input_events += k.unmapped_input_events;
    s.late_input_events += k.late_input_events;
  }
  return root_.collect();
}

}  // namespace neurochip::sim
